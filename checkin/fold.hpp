#pragma once
// Names as people search for them. Door staff type "muller" for Müller, "ozturk" for Öztürk,
// and Arabic names in any of their common spellings; the search key of a registration is its
// names and organisation folded once, when stored (so a search compares stored keys and calls
// nothing per row). Folding is ICU's (Debian's libicu): Unicode decomposition, every
// combining mark removed (accents, Arabic diacritics and hamza above or below), full case
// folding (ß is ss); then what Unicode leaves apart but readers treat as one letter.
#include <string>
#include <string_view>

namespace einlass::checkin {

// The text folded for search: lower case, without accents or diacritics; Arabic alef with or
// without hamza or madda as alef, alef wasla as alef, taa marbuta as haa, alef maqsura as yaa,
// tatweel removed; Turkish dotless ı as i. Invalid UTF-8 is folded as far as it is readable.
[[nodiscard]] std::string fold_for_search(std::string_view text);

// What is stored for a registration and searched: its names and organisation, folded.
[[nodiscard]] std::string search_key(std::string_view first_name, std::string_view last_name,
                                     std::string_view organisation);

}  // namespace einlass::checkin
