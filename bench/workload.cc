#include "bench/workload.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace idemcheck::bench {
namespace {

constexpr size_t kMemoryPayloads = 4096;
constexpr size_t kGalleryPayloads = 1024;
constexpr size_t kChunks = 256;

// SplitMix64's finalizer: a bijection on 64-bit values with good avalanche.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t Mix(uint64_t salt, uint64_t index) { return Mix(Mix(salt) ^ index); }

// Text principals are base32 groups of five separated by dashes; a self-authenticating one has
// 53 characters in 11 groups (the last of three): 63 bytes in all.
std::string PrincipalText(uint64_t salt, uint64_t index) {
  static constexpr absl::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";
  std::string text;
  uint64_t bits = 0;
  int available = 0;
  uint64_t word = 0;
  for (int i = 0; i < 53; ++i) {
    if (available < 5) {
      bits = Mix(salt, index * 16 + word++);
      available = 64;
    }
    if (i > 0 && i % 5 == 0) text.push_back('-');
    text.push_back(kBase32[bits & 31]);
    bits >>= 5;
    available -= 5;
  }
  return text;
}

std::vector<MemoryPayload> BuildMemoryPayloads() {
  static constexpr std::array<absl::string_view, 8> kPlaces = {
      "the lake",        "grandma's garden", "the old harbour", "Lisbon",
      "the school play", "the mountain hut", "a rainy market",  "the first flat"};
  static constexpr std::array<absl::string_view, 4> kCameras = {"phone", "film camera", "drone",
                                                                "webcam"};
  std::vector<MemoryPayload> pool;
  pool.reserve(kMemoryPayloads);
  for (size_t i = 0; i < kMemoryPayloads; ++i) {
    pool.push_back(MemoryPayload{
        absl::StrFormat("IMG_%05u.jpg", i),
        absl::StrFormat("Taken at %s on day %u, %u people in frame, shot on the %s.",
                        kPlaces[i % kPlaces.size()], 1 + Mix(7, i) % 9000, Mix(8, i) % 12,
                        kCameras[(i / kPlaces.size()) % kCameras.size()])});
  }
  return pool;
}

}  // namespace

absl::string_view KeyKindName(KeyKind kind) { return kind == KeyKind::kUuid ? "uuid" : "short"; }

std::string UuidText(Stream stream, uint64_t index) {
  const uint64_t salt = static_cast<uint64_t>(stream);
  const uint64_t hi = Mix(salt, 2 * index);
  const uint64_t lo = Mix(salt, 2 * index + 1);
  return absl::StrFormat("%08x-%04x-4%03x-%04x-%012x", hi >> 32, (hi >> 16) & 0xffff, hi & 0xfff,
                         0x8000 | ((lo >> 48) & 0x3fff), lo & 0xffffffffffffULL);
}

std::string ShortKey(Stream stream, uint64_t index) {
  static constexpr absl::string_view kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
  static constexpr std::array<absl::string_view, 3> kPrefixes = {"op-", "ab-", "nw-"};
  // An odd multiplier permutes [0, 2^40), so distinct indices give distinct keys.
  uint64_t value = (index * 0x9e3779b97fULL) & ((uint64_t{1} << 40) - 1);
  std::string digits(8, '0');
  for (int i = 7; i >= 0; --i) {
    digits[i] = kDigits[value % 36];
    value /= 36;
  }
  return absl::StrCat(kPrefixes[static_cast<size_t>(stream) - 1], digits);
}

std::string Key(KeyKind kind, Stream stream, uint64_t index) {
  return kind == KeyKind::kUuid ? UuidText(stream, index) : ShortKey(stream, index);
}

std::string CallerPrincipal(size_t i) { return PrincipalText(101, i); }
std::string SubjectPrincipal(size_t c) { return PrincipalText(102, c); }

size_t CapsuleOf(uint64_t j) { return j % kCapsules; }

size_t CallerOf(uint64_t j) {
  const size_t c = CapsuleOf(j);
  const size_t k = (j / kCapsules) % kPrincipalsPerCapsule;
  return k == 0 ? OwnerOf(c) : ControllerOf(c, k - 1);
}

size_t OwnerOf(size_t c) { return c % kCallers; }
size_t ControllerOf(size_t c, size_t k) { return (c + 1 + k) % kCallers; }

const MemoryPayload& MemoryPayloadOf(uint64_t j) {
  static const std::vector<MemoryPayload>* pool = new auto(BuildMemoryPayloads());
  return (*pool)[j % kMemoryPayloads];
}

const MemoryPayload& ConflictingPayload() {
  static const MemoryPayload* payload =
      new MemoryPayload{"IMG_retry.jpg", "A different payload sent under a key already used."};
  return *payload;
}

const GalleryPayload& GalleryPayloadOf(uint64_t j) {
  static const std::vector<GalleryPayload>* pool = [] {
    auto* galleries = new std::vector<GalleryPayload>();
    for (size_t i = 0; i < kGalleryPayloads; ++i) {
      galleries->push_back(
          GalleryPayload{absl::StrFormat("Summer %u, part %u", 1990 + i % 35, 1 + i / 35)});
    }
    return galleries;
  }();
  return (*pool)[j % kGalleryPayloads];
}

const std::string& ChunkOf(uint64_t j) {
  static const std::vector<std::string>* pool = [] {
    auto* chunks = new std::vector<std::string>();
    for (size_t i = 0; i < kChunks; ++i) {
      chunks->push_back(absl::StrFormat("chunk-%016x-%08x", Mix(9, i), i));
    }
    return chunks;
  }();
  return (*pool)[j % kChunks];
}

std::vector<uint32_t> ProbeOrder(size_t n) {
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  // Fisher-Yates with our own generator: the same order on every platform.
  for (size_t i = n; i > 1; --i) {
    const size_t k = Mix(n, i) % i;
    std::swap(order[i - 1], order[k]);
  }
  return order;
}

}  // namespace idemcheck::bench
