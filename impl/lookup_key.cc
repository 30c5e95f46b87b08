#include "impl/lookup_key.h"

#include <string>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace idemcheck::impl_internal {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

uint8_t HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

bool IsDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

uint64_t DefaultLookupHash(absl::string_view bytes) {
  return absl::Hash<absl::string_view>{}(bytes);
}

Uuid Uuid::Parse(absl::string_view text) {
  Uuid id{};
  size_t nibble = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsDashPosition(i)) continue;
    id.bytes[nibble / 2] |= HexValue(text[i]) << (nibble % 2 == 0 ? 4 : 0);
    ++nibble;
  }
  return id;
}

std::string Uuid::ToString() const {
  std::string text;
  text.reserve(36);
  for (size_t i = 0, nibble = 0; i < 36; ++i) {
    if (IsDashPosition(i)) {
      text.push_back('-');
      continue;
    }
    const uint8_t byte = bytes[nibble / 2];
    text.push_back(kHexDigits[nibble % 2 == 0 ? byte >> 4 : byte & 0xF]);
    ++nibble;
  }
  return text;
}

}  // namespace idemcheck::impl_internal
