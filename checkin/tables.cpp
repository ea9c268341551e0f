#include "checkin/tables.hpp"

#include "checkin/text.hpp"

#include <xlsxwriter.h>

#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

namespace einlass::checkin {

// ---- CSV ----

csv_sink::csv_sink(std::FILE* out, char separator, std::string zone) : out_(out), sep_(separator), clock_(zone) {
  std::fputs("\xEF\xBB\xBF", out_);
}

void csv_sink::raw(std::string_view s) {
  if (!first_) row_ += sep_;
  first_ = false;
  row_ += s;
}

void csv_sink::text(std::string_view s) {
  bool risky = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
  bool quote = risky;
  // Either separator, whichever this file uses: a file saved with one is often opened with the other.
  for (char c : s) quote = quote || c == ',' || c == ';' || c == '"' || c == '\n' || c == '\r';
  if (!quote) return raw(s);
  if (!first_) row_ += sep_;
  first_ = false;
  row_ += '"';
  if (risky) row_ += '\'';
  for (char c : s) {
    if (c == '"') row_ += '"';
    row_ += c;
  }
  row_ += '"';
}

// A semicolon separator is German Excel's, whose decimal mark is the comma.
void csv_sink::decimal(std::string s) {
  if (sep_ == ';')
    for (auto& c : s)
      if (c == '.') c = ',';
  raw(s);
}

void csv_sink::number(double n) {
  if (n == std::floor(n) && std::fabs(n) < 1e15) return raw(std::to_string(static_cast<long long>(n)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", n);
  decimal(buf);
}

void csv_sink::percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", fraction * 100);
  decimal(buf);
}

void csv_sink::time(sys_seconds t) {
  auto l = clock_.local(t);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", l.year, l.month, l.day, l.hour, l.minute, l.second);
  raw(buf);
}

void csv_sink::blank() { raw(""); }

void csv_sink::end_row() {
  row_ += "\r\n";
  std::fwrite(row_.data(), 1, row_.size(), out_);
  row_.clear();
  first_ = true;
}

// ---- XLSX ----

namespace {

class xlsx_sheet final : public table_sink {
 public:
  xlsx_sheet(lxw_worksheet* ws, lxw_format* time_fmt, lxw_format* pct_fmt, lxw_format* head_fmt,
             std::string const& zone)
      : ws_(ws), time_fmt_(time_fmt), pct_fmt_(pct_fmt), head_fmt_(head_fmt), clock_(zone) {}

  void text(std::string_view s) override {
    if (s.empty()) {  // an empty cell costs nothing to write
      ++col_;
      return;
    }
    cell_.assign(s);
    check(worksheet_write_string(ws_, row_, col_++, cell_.c_str(), row_ == 0 ? head_fmt_ : nullptr));
    widen(s.size());
  }
  void number(double n) override { check(worksheet_write_number(ws_, row_, col_++, n, nullptr)); }
  void percent(double f) override { check(worksheet_write_number(ws_, row_, col_++, f, pct_fmt_)); }
  void time(sys_seconds t) override {
    auto l = clock_.local(t);
    lxw_datetime dt{l.year, l.month, l.day, l.hour, l.minute, static_cast<double>(l.second)};
    check(worksheet_write_datetime(ws_, row_, col_++, &dt, time_fmt_));
    widen(16);
  }
  void blank() override { ++col_; }
  void end_row() override {
    if (row_ == 0 && col_ > 0) header_cols_ = col_;
    max_cols_ = std::max(max_cols_, col_);
    ++row_;
    col_ = 0;
  }
  void finish() {
    for (std::size_t c = 0; c < widths_.size(); ++c) {
      auto col = static_cast<lxw_col_t>(c);
      worksheet_set_column(ws_, col, col, std::min(50.0, std::max(8.0, widths_[c] + 2.0)), nullptr);
    }
    worksheet_freeze_panes(ws_, 1, 0);
    if (header_cols_ > 0 && row_ > 1) worksheet_autofilter(ws_, 0, 0, row_ - 1, header_cols_ - 1);
  }

 private:
  static void check(lxw_error e) {
    if (e != LXW_NO_ERROR && e != LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
      throw std::runtime_error(std::string("xlsx: ") + lxw_strerror(e));
  }
  void widen(std::size_t n) {
    // Only the first rows decide widths: enough for a readable sheet, no per-row cost later.
    if (row_ > 200) return;
    if (widths_.size() <= col_ - 1u) widths_.resize(col_, 0);
    widths_[col_ - 1] = std::max(widths_[col_ - 1], static_cast<double>(std::min<std::size_t>(n, 60)));
  }
  lxw_worksheet* ws_;
  lxw_format *time_fmt_, *pct_fmt_, *head_fmt_;
  wall_clock clock_;
  std::string cell_;
  lxw_row_t row_ = 0;
  lxw_col_t col_ = 0, header_cols_ = 0, max_cols_ = 0;
  std::vector<double> widths_;
};

}  // namespace

struct xlsx_book::impl {
  lxw_workbook* wb = nullptr;
  lxw_format *time_fmt = nullptr, *pct_fmt = nullptr, *head_fmt = nullptr;
  std::string zone;
  std::unique_ptr<xlsx_sheet> current;
};

xlsx_book::xlsx_book(std::string const& path, std::string zone) : impl_(std::make_unique<impl>()) {
  lxw_workbook_options opts{};
  opts.constant_memory = LXW_TRUE;
  impl_->wb = workbook_new_opt(path.c_str(), &opts);
  if (!impl_->wb) throw std::runtime_error("xlsx: cannot create workbook");
  impl_->zone = std::move(zone);
  impl_->time_fmt = workbook_add_format(impl_->wb);
  format_set_num_format(impl_->time_fmt, "yyyy-mm-dd hh:mm:ss");
  impl_->pct_fmt = workbook_add_format(impl_->wb);
  format_set_num_format(impl_->pct_fmt, "0.0%");
  impl_->head_fmt = workbook_add_format(impl_->wb);
  format_set_bold(impl_->head_fmt);
}

xlsx_book::~xlsx_book() {
  if (impl_->wb) workbook_close(impl_->wb);
}

namespace {

// What Excel accepts as a sheet name: valid UTF-8, none of []:*?/\, no apostrophe at either
// end, 1 to 31 characters.
std::string sheet_name(std::string_view raw) {
  std::string out;
  std::size_t chars = 0;
  auto text = valid_utf8(raw);
  for (std::size_t i = 0; i < text.size() && chars < 31;) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = utf8_length(c);
    if (len == 1 && (c < 0x20 || std::string_view("[]:*?/\\").find(static_cast<char>(c)) != std::string_view::npos)) {
      ++i;
      continue;
    }
    out.append(text, i, len);
    i += len;
    ++chars;
  }
  while (!out.empty() && out.front() == '\'') out.erase(0, 1);
  while (!out.empty() && out.back() == '\'') out.pop_back();
  return out.empty() ? "Sheet" : out;
}

}  // namespace

table_sink& xlsx_book::sheet(std::string_view name) {
  if (impl_->current) impl_->current->finish();
  std::string n = sheet_name(name);
  auto* ws = workbook_add_worksheet(impl_->wb, n.c_str());
  if (!ws) throw std::runtime_error("xlsx: cannot add sheet");
  impl_->current = std::make_unique<xlsx_sheet>(ws, impl_->time_fmt, impl_->pct_fmt, impl_->head_fmt, impl_->zone);
  return *impl_->current;
}

void xlsx_book::close() {
  if (impl_->current) impl_->current->finish();
  auto e = workbook_close(std::exchange(impl_->wb, nullptr));
  if (e != LXW_NO_ERROR) throw std::runtime_error(std::string("xlsx: ") + lxw_strerror(e));
}

}  // namespace einlass::checkin
