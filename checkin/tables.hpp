#pragma once
// Where downloads go: a table written row by row in typed cells, as CSV (UTF-8 with BOM,
// comma or semicolon) or as sheets of an XLSX workbook. The rows are one; the format is a
// detail (checkin/export.hpp writes the rows).
#include "checkin/time.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace einlass::checkin {

// One table written row by row in typed cells. Times are shown as wall time in the
// sink's zone (the event's).
class table_sink {
 public:
  virtual ~table_sink() = default;
  virtual void text(std::string_view s) = 0;
  virtual void number(double n) = 0;
  virtual void percent(double fraction) = 0;  // 0..1
  virtual void time(sys_seconds t) = 0;
  virtual void blank() = 0;
  virtual void end_row() = 0;
};

// RFC 4180 CSV in UTF-8 with a byte order mark (so Excel reads umlauts and Arabic right).
// A semicolon separator (German Excel) also makes the decimal mark a comma. A text cell
// that starts with = + - @, a tab or a carriage return is prefixed with ' so no spreadsheet
// runs it as a formula.
class csv_sink final : public table_sink {
 public:
  csv_sink(std::FILE* out, char separator, std::string zone);
  void text(std::string_view s) override;
  void number(double n) override;
  void percent(double fraction) override;
  void time(sys_seconds t) override;
  void blank() override;
  void end_row() override;

 private:
  void raw(std::string_view s);
  void decimal(std::string s);
  std::FILE* out_;
  char sep_;
  wall_clock clock_;
  std::string row_;  // the row being built, written whole
  bool first_ = true;
};

// An .xlsx workbook (libxlsxwriter in constant-memory mode: rows go to temporary files,
// not RAM). Text cells are always strings, never formulas.
class xlsx_book {
 public:
  xlsx_book(std::string const& path, std::string zone);
  xlsx_book(xlsx_book const&) = delete;
  xlsx_book& operator=(xlsx_book const&) = delete;
  ~xlsx_book();
  // A new sheet; the previous one is finished. Sheet names: 31 characters at most.
  table_sink& sheet(std::string_view name);
  // Writes the file; throws on failure.
  void close();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace einlass::checkin
