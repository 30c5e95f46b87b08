#include "idemcheck/pools.h"

#include <string>
#include <vector>

namespace idemcheck::pools {

const std::vector<std::string>& Principals() {
  static const auto* pool = new std::vector<std::string>{"alice", "bob", "carol", "2vxsx-fae"};
  return *pool;
}

const std::vector<std::string>& Keys() {
  static const auto* pool =
      new std::vector<std::string>{"", "k1", "k2", "k3", std::string(255, '~'), "bad key"};
  return *pool;
}

const std::vector<MemoryPayload>& MemoryPayloads() {
  static const auto* pool = new std::vector<MemoryPayload>{
      {"beach", "jpeg"}, {"beach", "png"}, {"city", "jpeg"}, {"", ""}};
  return *pool;
}

const std::vector<GalleryPayload>& GalleryPayloads() {
  static const auto* pool = new std::vector<GalleryPayload>{{"summer"}, {"winter"}};
  return *pool;
}

const std::vector<std::string>& FolderNames() {
  static const auto* pool = new std::vector<std::string>{"docs", "photos"};
  return *pool;
}

const std::vector<std::string>& GalleryIds() {
  static const auto* pool = new std::vector<std::string>{
      "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222",
      "33333333-3333-4333-8333-333333333333", "11111111-1111-4111-8111-11111111111Z"};
  return *pool;
}

const std::vector<std::string>& FolderIds() {
  static const auto* pool = new std::vector<std::string>{
      "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
      "cccccccc-cccc-4ccc-8ccc-cccccccccccc", "not-a-uuid"};
  return *pool;
}

std::vector<uint32_t> ExpectedChunks(const Limits& limits) {
  return {1, 2, 3, 0, limits.max_expected_chunks + 1};
}

std::string ChunkBytes(uint32_t index, uint32_t variant) {
  return std::string(index % 3 + 1, static_cast<char>((variant % 2 == 0 ? 'a' : 'A') + index % 26));
}

FinishClaim ClaimFor(uint32_t chunks) {
  FinishClaim claim{0, kFnv1a64Offset};
  for (uint32_t i = 0; i < chunks; ++i) {
    const std::string bytes = ChunkBytes(i, 0);
    claim.total_len += bytes.size();
    claim.digest = Fnv1a64(bytes, claim.digest);
  }
  return claim;
}

std::vector<uint64_t> ClockAdvances(const Limits& limits) {
  const uint64_t r = limits.retention_seconds;
  const uint64_t t = limits.session_ttl_seconds;
  return {1, 60, t - 1, t, t + 1, r - 1, r, r + 1, limits.max_clock_advance_seconds + 1};
}

}  // namespace idemcheck::pools
