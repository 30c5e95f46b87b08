#include "idemcheck/values.h"

#include "absl/strings/string_view.h"

namespace idemcheck {
namespace {

bool AllBytesIn(absl::string_view s, char lo, char hi) {
  for (char c : s) {
    if (c < lo || c > hi) return false;
  }
  return true;
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

bool IsValidPrincipal(absl::string_view principal) {
  return !principal.empty() && principal.size() <= 63 && AllBytesIn(principal, 0x20, 0x7E);
}

bool IsValidIdemKey(absl::string_view key) {
  return key.size() <= 255 && AllBytesIn(key, 0x21, 0x7E);
}

bool IsValidUuid(absl::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? id[i] != '-' : !IsLowerHex(id[i])) return false;
  }
  return true;
}

uint64_t Fnv1a64(absl::string_view bytes, uint64_t state) {
  for (unsigned char c : bytes) {
    state ^= c;
    state *= 0x100000001b3ULL;
  }
  return state;
}

absl::string_view RoleName(Role role) { return role == Role::kOwner ? "owner" : "controller"; }

}  // namespace idemcheck
