#include "checkin/fold.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace einlass::checkin {

namespace {

// Letters Unicode keeps apart that a reader of Arabic or Turkish names takes as one.
UChar32 same_letter(UChar32 c) {
  switch (c) {
    case 0x0671:  // alef wasla
    case 0x0672:  // alef with wavy hamza above
    case 0x0673:  // alef with wavy hamza below
      return 0x0627;
    case 0x0629:      // taa marbuta
      return 0x0647;  // haa
    case 0x0649:      // alef maqsura
    case 0x06CC:      // Farsi yeh
      return 0x064A;  // yaa
    case 0x06A9:      // keheh
      return 0x0643;  // kaf
    case 0x0131:      // dotless i
      return 'i';
    default: return c;
  }
}

}  // namespace

std::string fold_for_search(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  auto const* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  auto in = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
  // Case folding first (it may compose or expand: ß to ss), then decomposition.
  in.foldCase();
  icu::UnicodeString decomposed = nfd->normalize(in, status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString out;
  for (std::int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK || c == 0x0640) continue;  // marks, and tatweel
    out.append(same_letter(c));
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

std::string search_key(std::string_view first_name, std::string_view last_name, std::string_view organisation) {
  std::string all;
  all.reserve(first_name.size() + last_name.size() + organisation.size() + 2);
  all.append(first_name).append(" ").append(last_name).append(" ").append(organisation);
  return fold_for_search(all);
}

}  // namespace einlass::checkin
