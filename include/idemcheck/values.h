// The values that operations of the capsule store carry (SEMANTICS.md "Values"), the limits a
// store is built with, and the validators that say which values are well formed.
//
// Validators live here, beside the types, because "well formed" is part of the operation language:
// every store, generator and trace reader agrees on it by calling the same function.

#ifndef IDEMCHECK_VALUES_H_
#define IDEMCHECK_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace idemcheck {

// Store-chosen identifiers (capsules, memories, upload sessions, blobs). A store may use any scheme
// (counter, random, derived) but must never hand out the same value twice for one kind.
using StoreId = uint64_t;

// The principal that may read nothing and create nothing.
inline constexpr absl::string_view kAnonymous = "2vxsx-fae";

enum class Role : uint8_t { kOwner, kController };

struct MemoryPayload {
  std::string title;
  std::string content;
  friend bool operator==(const MemoryPayload&, const MemoryPayload&) = default;
};

struct GalleryPayload {
  std::string title;
  friend bool operator==(const GalleryPayload&, const GalleryPayload&) = default;
};

struct FolderPayload {
  std::string name;
  // A folder ID (UUID text) in the same capsule, or none for a top-level folder.
  std::optional<std::string> parent;
  friend bool operator==(const FolderPayload&, const FolderPayload&) = default;
};

// Limits and windows fixed at store construction. Defaults are the contract's.
struct Limits {
  uint64_t retention_seconds = 86'400;           // M8, F4, U6 (committed sessions)
  uint64_t session_ttl_seconds = 3'600;          // U6
  uint32_t max_pending_sessions = 100;           // U2, per (capsule, caller)
  uint32_t max_content_bytes = 32'768;           // M1
  uint32_t max_title_bytes = 256;                // titles and folder names
  uint32_t max_chunk_bytes = 65'536;             // U3, chunks are 1..max bytes
  uint32_t max_expected_chunks = 16'384;         // U1, expected is 1..max
  uint64_t max_clock_advance_seconds = 864'000;  // T1
  friend bool operator==(const Limits&, const Limits&) = default;
};

// Non-empty, at most 63 bytes, each printable ASCII (0x20..0x7E).
bool IsValidPrincipal(absl::string_view principal);

// 0..255 bytes, each in 0x21..0x7E. The empty key is valid and means "no key".
bool IsValidIdemKey(absl::string_view key);

// Canonical lowercase UUID text: 36 chars, dashes at 8, 13, 18, 23, lowercase hex elsewhere.
bool IsValidUuid(absl::string_view id);

// Entries of R3 listings and of a store's observable state. `MemoryIdT` is `StoreId` where a
// store reports them and `MemoryRef` (ops.h) once the driver has renamed them (E1).
template <typename MemoryIdT>
struct BasicMemoryEntry {
  MemoryIdT id;
  MemoryPayload payload;
  friend bool operator==(const BasicMemoryEntry&, const BasicMemoryEntry&) = default;
};

struct GalleryEntry {
  std::string id;
  GalleryPayload payload;
  friend bool operator==(const GalleryEntry&, const GalleryEntry&) = default;
};

struct FolderEntry {
  std::string id;
  FolderPayload payload;
  friend bool operator==(const FolderEntry&, const FolderEntry&) = default;
};

// Everything observable about one capsule (E1): its access lists (each sorted) and the R3
// listings of its live entities in creation order.
template <typename CapsuleIdT, typename MemoryIdT>
struct BasicCapsuleState {
  CapsuleIdT id;
  std::string subject;
  std::vector<std::string> owners;
  std::vector<std::string> controllers;
  std::vector<BasicMemoryEntry<MemoryIdT>> memories;
  std::vector<GalleryEntry> galleries;
  std::vector<FolderEntry> folders;
  friend bool operator==(const BasicCapsuleState&, const BasicCapsuleState&) = default;
};

// FNV-1a 64 over `bytes`, continuing from `state` (U4's upload digest).
inline constexpr uint64_t kFnv1a64Offset = 0xcbf29ce484222325ULL;
uint64_t Fnv1a64(absl::string_view bytes, uint64_t state = kFnv1a64Offset);

absl::string_view RoleName(Role role);

}  // namespace idemcheck

#endif  // IDEMCHECK_VALUES_H_
