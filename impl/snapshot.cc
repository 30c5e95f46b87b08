#include "impl/snapshot.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "idemcheck/values.h"

namespace idemcheck::snapshot {
namespace {

template <typename T>
T LoadLittleEndian(absl::string_view bytes) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    v |= static_cast<T>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return v;
}

template <typename T>
void AppendLittleEndian(std::string& out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

absl::Status Corrupt(size_t offset, absl::string_view message) {
  return absl::DataLossError(absl::StrCat("corrupt snapshot: ", message, " at offset ", offset));
}

}  // namespace

void Writer::U32(uint32_t v) { AppendLittleEndian(out_, v); }
void Writer::U64(uint64_t v) { AppendLittleEndian(out_, v); }

void Writer::String(absl::string_view s) {
  U32(static_cast<uint32_t>(s.size()));
  Raw(s);
}

bool Reader::Need(size_t n, absl::string_view field) {
  if (!ok()) return false;
  if (n <= remaining()) return true;
  Fail(absl::StrCat("truncated ", field, ": needs ", n, " bytes, ", remaining(), " remain"));
  return false;
}

uint8_t Reader::U8(absl::string_view field) {
  if (!Need(1, field)) return 0;
  return static_cast<uint8_t>(bytes_[pos_++]);
}

uint32_t Reader::U32(absl::string_view field) {
  if (!Need(4, field)) return 0;
  const auto v = LoadLittleEndian<uint32_t>(bytes_.substr(pos_));
  pos_ += 4;
  return v;
}

uint64_t Reader::U64(absl::string_view field) {
  if (!Need(8, field)) return 0;
  const auto v = LoadLittleEndian<uint64_t>(bytes_.substr(pos_));
  pos_ += 8;
  return v;
}

absl::string_view Reader::Raw(size_t n, absl::string_view field) {
  if (!Need(n, field)) return {};
  absl::string_view v = bytes_.substr(pos_, n);
  pos_ += n;
  return v;
}

absl::string_view Reader::String(absl::string_view field, size_t max_size) {
  const size_t start = offset();
  const uint32_t size = U32(field);
  if (!ok()) return {};
  if (size > max_size) {
    FailAt(start, absl::StrCat(field, " length ", size, " exceeds the limit of ", max_size));
    return {};
  }
  return Raw(size, field);
}

uint32_t Reader::Count(absl::string_view field, size_t min_element_bytes) {
  const size_t start = offset();
  const uint32_t count = U32(field);
  if (!ok()) return 0;
  if (count > remaining() / min_element_bytes) {
    FailAt(start,
           absl::StrCat(field, " count ", count, " needs at least ",
                        uint64_t{count} * min_element_bytes, " bytes, ", remaining(), " remain"));
    return 0;
  }
  return count;
}

void Reader::FailAt(size_t offset, absl::string_view message) {
  if (ok()) status_ = Corrupt(offset, message);
}

void Reader::ExpectEnd(absl::string_view what) {
  if (ok() && remaining() != 0) {
    Fail(absl::StrCat(remaining(), " unread bytes at the end of ", what));
  }
}

uint64_t Checksum(absl::string_view bytes) { return Fnv1a64(bytes); }

std::string JoinSections(const std::vector<Section>& sections, uint32_t version) {
  std::string out(kMagic);
  AppendLittleEndian(out, version);
  AppendLittleEndian(out, static_cast<uint32_t>(sections.size()));
  for (const Section& section : sections) {
    AppendLittleEndian(out, section.tag);
    AppendLittleEndian(out, static_cast<uint64_t>(section.body.size()));
    out += section.body;
  }
  AppendLittleEndian(out, Checksum(out));
  return out;
}

absl::StatusOr<std::vector<SectionView>> SplitSections(absl::string_view bytes) {
  Reader header(bytes, 0);
  if (header.Raw(kMagic.size(), "magic") != kMagic) {
    if (header.ok()) return Corrupt(0, "bad magic (not an idemcheck snapshot)");
    return header.status();
  }
  const uint32_t version = header.U32("version");
  if (header.ok() && version != kVersion) {
    return Corrupt(kMagic.size(), absl::StrCat("unsupported version ", version,
                                               " (this build reads version ", kVersion, ")"));
  }
  const uint32_t count = header.Count("section", kSectionHeaderBytes);
  std::vector<SectionView> sections;
  if (header.ok()) sections.reserve(count);
  for (uint32_t i = 0; i < count && header.ok(); ++i) {
    const uint32_t tag = header.U32("section tag");
    const size_t length_offset = header.offset();
    const uint64_t length = header.U64("section length");
    if (header.ok() && length > header.remaining()) {
      header.FailAt(length_offset,
                    absl::StrCat("section ", i, " (tag ", tag, ") length ", length, " exceeds the ",
                                 header.remaining(), " bytes that remain"));
    }
    const size_t body_offset = header.offset();
    absl::string_view body = header.Raw(length, "section body");
    if (header.ok()) sections.push_back(SectionView{tag, body_offset, body});
  }
  const size_t checksum_offset = header.offset();
  const uint64_t stored = header.U64("checksum");
  if (!header.ok()) return header.status();
  const uint64_t computed = Checksum(bytes.substr(0, checksum_offset));
  if (stored != computed) {
    return Corrupt(checksum_offset, absl::StrCat("checksum mismatch (stored ", absl::Hex(stored),
                                                 ", computed ", absl::Hex(computed), ")"));
  }
  header.ExpectEnd("the snapshot (trailing garbage)");
  if (!header.ok()) return header.status();
  return sections;
}

}  // namespace idemcheck::snapshot
