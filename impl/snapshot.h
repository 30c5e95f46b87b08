// The framing of ImplStore snapshots (docs/snapshot-format.md): a header, tagged length-prefixed
// sections and a checksum, plus the bounded little-endian reader and writer that section
// contents are built with. What goes inside each section is ImplStore's business
// (impl_store_snapshot.cc); this file knows only bytes.
//
//   offset 0   magic "IDEMSNAP" (8 bytes)
//          8   version (u32)
//         12   section count (u32)
//         16   sections: tag (u32), body length (u64), body
//        end-8 checksum (u64): FNV-1a 64 over every preceding byte
//
// Every integer is little-endian. Every error is absl::DataLossError naming the defect and its
// absolute byte offset in the snapshot.

#ifndef IDEMCHECK_IMPL_SNAPSHOT_H_
#define IDEMCHECK_IMPL_SNAPSHOT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace idemcheck::snapshot {

inline constexpr absl::string_view kMagic = "IDEMSNAP";
inline constexpr uint32_t kVersion = 1;
inline constexpr size_t kHeaderBytes = 16;         // magic, version, section count
inline constexpr size_t kSectionHeaderBytes = 12;  // tag, body length
inline constexpr size_t kChecksumBytes = 8;

// Appends fixed-width little-endian integers and u32-length-prefixed strings.
class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v);
  void U64(uint64_t v);
  void Raw(absl::string_view bytes) { out_.append(bytes.data(), bytes.size()); }
  void String(absl::string_view s);

  std::string Finish() && { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer writes, never past the end. The first failure sticks: later reads return
// zeros and empty strings, ok() stays false and status() names the first defect and its offset,
// so callers check once per element rather than after every field.
class Reader {
 public:
  // `bytes` starts at absolute offset `base` of the snapshot (for messages).
  Reader(absl::string_view bytes, size_t base) : bytes_(bytes), base_(base) {}

  uint8_t U8(absl::string_view field);
  uint32_t U32(absl::string_view field);
  uint64_t U64(absl::string_view field);
  absl::string_view Raw(size_t n, absl::string_view field);
  // A u32-length-prefixed string of at most `max_size` bytes.
  absl::string_view String(absl::string_view field, size_t max_size);
  // A u32 element count, failing unless the remaining bytes could hold that many elements of at
  // least `min_element_bytes` each: a count that passes is safe to reserve.
  uint32_t Count(absl::string_view field, size_t min_element_bytes);

  // Records `message` as the first defect, at the current offset or at `offset`.
  void Fail(absl::string_view message) { FailAt(offset(), message); }
  void FailAt(size_t offset, absl::string_view message);
  // Fails unless every byte has been read.
  void ExpectEnd(absl::string_view what);

  size_t offset() const { return base_ + pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }

 private:
  bool Need(size_t n, absl::string_view field);

  absl::string_view bytes_;
  size_t base_;
  size_t pos_ = 0;
  absl::Status status_;
};

struct Section {
  uint32_t tag = 0;
  std::string body;
};

struct SectionView {
  uint32_t tag = 0;
  size_t offset = 0;  // absolute offset of the body's first byte
  absl::string_view body;
};

// Header, sections in the given order, checksum.
std::string JoinSections(const std::vector<Section>& sections, uint32_t version = kVersion);

// Checks the framing (magic, version, section headers and lengths, checksum, no trailing
// bytes) and returns views of the section bodies, in file order. Section tags and contents are
// not interpreted.
absl::StatusOr<std::vector<SectionView>> SplitSections(absl::string_view bytes);

// The checksum JoinSections writes: FNV-1a 64 over `bytes`.
uint64_t Checksum(absl::string_view bytes);

}  // namespace idemcheck::snapshot

#endif  // IDEMCHECK_IMPL_SNAPSHOT_H_
