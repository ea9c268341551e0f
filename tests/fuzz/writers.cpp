// The download writers and mail builders with any text in their cells: CSV (quoting,
// formula neutralising), XLSX (libxlsxwriter), iCalendar (escaping, folding), MIME headers; and
// an input that begins like an SVG or a PNG as an uploaded logo in a PDF, beside its cells as text.
#include "checkin/export.hpp"
#include "checkin/ics.hpp"
#include "checkin/mime.hpp"
#include "checkin/pdf.hpp"
#include "tests/fuzz/fuzz_common.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace einlass::checkin;
  auto s = einlass::fuzz::text(data, size);
  std::vector<std::string_view> cells;
  for (std::size_t start = 0, end; start <= s.size(); start = end + 1) {
    end = s.find('\x1f', start);
    if (end == std::string_view::npos) end = s.size();
    cells.push_back(s.substr(start, end - start));
  }
  auto at = sys_seconds{std::chrono::seconds(1900000000)};
  {
    char* buf = nullptr;
    std::size_t len = 0;
    std::FILE* f = open_memstream(&buf, &len);
    {
      csv_sink out(f, size % 2 ? ';' : ',', "Europe/Berlin");
      for (auto c : cells) out.text(c);
      out.time(at);
      out.end_row();
    }
    std::fclose(f);
    std::free(buf);
  }
  if (size < 4096) {
    char path[] = "/tmp/einlass-fuzz-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
      ::close(fd);
      {
        xlsx_book book(path, "Europe/Berlin");
        auto& sheet = book.sheet(cells.front());
        for (auto c : cells) sheet.text(c);
        sheet.end_row();
        book.close();
      }
      ::unlink(path);
    }
  }
  auto e = einlass::fuzz::sample_event();
  e.title = std::string(cells.front());
  e.address = std::string(cells.back());
  (void)event_ics(e, {"uid@einlass", std::string(s), "https://x/t/CODE", at});
  mail_message m;
  m.from = "Einlass <e@example.org>";
  m.to = "p@example.org";
  m.to_name = std::string(cells.front());
  m.subject = std::string(s);
  m.message_id = "<id@einlass>";
  m.date = at;
  m.text = std::string(s);
  m.html = std::string(s);
  (void)to_mime(m);
  (void)address_of(s);
  if (s.starts_with("<svg") || s.starts_with("\x89PNG")) {
    std::string bytes(s);
    (void)pdf::to_string(pdf::a6, std::string(cells.front()), [&](pdf::document& d) {
      double w = d.image_width(80, 40, bytes);
      bool drawn = d.image(10, 10, 80, 40, bytes);
      if (drawn != (w > 0)) std::abort();  // the width promised is the image drawn
      d.text(10, 60, 85, cells.back(), {.size_pt = 14, .one_line = true});
    });
  }
  return 0;
}
