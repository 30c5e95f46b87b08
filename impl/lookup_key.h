// Composite keys of the idempotency indexes and the hashing that finds them.
//
// Every idempotency index hashes the same way: the key's fields are encoded into a small stack
// buffer and the store's `LookupHash` (registry.h) runs over those bytes. Nothing is allocated,
// so a replay looks its record up without touching the heap. A test may substitute a 4-bit hash:
// the indexes then hold long collision chains, and every hit is confirmed by comparing the full
// key, never by the hash alone (M9).

#ifndef IDEMCHECK_IMPL_LOOKUP_KEY_H_
#define IDEMCHECK_IMPL_LOOKUP_KEY_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"
#include "idemcheck/registry.h"
#include "idemcheck/values.h"

namespace idemcheck::impl_internal {

// The store's own lookup hash when StoreOptions leaves it unset: abseil's string hash.
uint64_t DefaultLookupHash(absl::string_view bytes);

// A fixed-capacity byte encoding of a composite key, built on the stack.
class KeyBytes {
 public:
  // Enough for the longest key of any index: capsule (8) + caller (4) + 1 + a 255-byte key, or
  // two length-prefixed principals of at most 63 bytes.
  static constexpr size_t kCapacity = 272;

  KeyBytes& AddU64(uint64_t v) { return AddRaw(&v, sizeof v); }
  KeyBytes& AddU32(uint32_t v) { return AddRaw(&v, sizeof v); }
  // Length-prefixed, so that concatenated strings cannot alias. At most 255 bytes.
  KeyBytes& AddString(absl::string_view s) {
    const auto size = static_cast<uint8_t>(s.size());
    AddRaw(&size, 1);
    return AddRaw(s.data(), size);
  }
  absl::string_view view() const { return absl::string_view(buffer_.data(), size_); }

 private:
  KeyBytes& AddRaw(const void* data, size_t n) {
    std::memcpy(buffer_.data() + size_, data, n);
    size_ += n;
    return *this;
  }
  std::array<char, kCapacity> buffer_;
  size_t size_ = 0;
};

// (capsule, caller, key): the scope of a memory record (M6) and of an upload session's key (U1).
// `caller` is the caller's number in the store's PrincipalTable.
struct ScopedKey {
  StoreId capsule;
  uint32_t caller;
  absl::string_view key;

  friend bool operator==(const ScopedKey&, const ScopedKey&) = default;
  KeyBytes Encode() const {
    KeyBytes bytes;
    bytes.AddU64(capsule).AddU32(caller).AddString(key);
    return bytes;
  }
};

// C1: (subject, owner), the key of the capsule index.
inline KeyBytes SubjectOwnerKey(absl::string_view subject, absl::string_view owner) {
  KeyBytes key;
  key.AddString(subject).AddString(owner);
  return key;
}

// Hash and equality for a set of `T*` found by ScopedKey (T has `ScopedKey scoped_key() const`).
template <typename T>
struct ScopedKeyHash {
  using is_transparent = void;
  LookupHash hash = &DefaultLookupHash;

  size_t operator()(const ScopedKey& key) const { return hash(key.Encode().view()); }
  size_t operator()(const T* item) const { return (*this)(item->scoped_key()); }
};

template <typename T>
struct ScopedKeyEq {
  using is_transparent = void;

  static ScopedKey KeyOf(const ScopedKey& key) { return key; }
  static ScopedKey KeyOf(const T* item) { return item->scoped_key(); }
  // The full comparison behind every hash hit (M9).
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return KeyOf(a) == KeyOf(b);
  }
};

// Hash and equality for byte-string keys (encoded KeyBytes stored as std::string).
struct BytesHash {
  using is_transparent = void;
  LookupHash hash = &DefaultLookupHash;
  size_t operator()(absl::string_view bytes) const { return hash(bytes); }
};

struct BytesEq {
  using is_transparent = void;
  bool operator()(absl::string_view a, absl::string_view b) const { return a == b; }
};

// A client-supplied ID (canonical lowercase UUID text) in its 16-byte binary form. The text form
// is canonical, so the two are in bijection and the text is rebuilt exactly for listings.
struct Uuid {
  std::array<uint8_t, 16> bytes;

  // Precondition: IsValidUuid(text).
  static Uuid Parse(absl::string_view text);
  std::string ToString() const;
  friend bool operator==(const Uuid&, const Uuid&) = default;
};

struct UuidHash {
  LookupHash hash = &DefaultLookupHash;
  size_t operator()(const Uuid& id) const {
    return hash(absl::string_view(reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size()));
  }
};

}  // namespace idemcheck::impl_internal

#endif  // IDEMCHECK_IMPL_LOOKUP_KEY_H_
