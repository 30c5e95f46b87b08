// fuzz_snapshot: ImplStore::Restore of arbitrary bytes (T2, T3).
//
// Each input is restored twice: as it is, and with its trailing checksum recomputed, since a
// mutated snapshot almost never keeps a valid checksum and the parsers behind the check would
// otherwise go unexplored. Restore must either fail with Corrupt or return a store that snapshots
// and restores again to the same store: the same observable state, and the same answers to a
// fixed probe sequence that replays keys, client IDs and sessions and moves the clock past every
// window, so hidden state (records, tombstones, sessions, clock) is compared too.
//
// Crashes, hangs and oversized allocations are the sanitizers' and libFuzzer's to report
// (fuzz_snapshot.options limits memory).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "idemcheck/ops.h"
#include "idemcheck/pools.h"
#include "idemcheck/printer.h"
#include "idemcheck/runner.h"
#include "idemcheck/values.h"
#include "impl/impl_store.h"
#include "impl/snapshot.h"

namespace idemcheck::fuzz {
namespace {

[[noreturn]] void Fail(absl::string_view what, absl::string_view details) {
  std::fprintf(stderr, "fuzz_snapshot: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(details.size()), details.data());
  std::abort();
}

// Every principal replays a key in every capsule, then sessions, client IDs and the clock.
const std::vector<Op>& Probe() {
  static const auto* probe = [] {
    const Limits limits;
    const std::vector<std::string>& principals = pools::Principals();
    const std::string& key = pools::Keys()[1];
    auto* ops = new std::vector<Op>;
    for (uint32_t c = 1; c <= 3; ++c) {
      for (size_t p = 0; p + 1 < principals.size(); ++p) {
        ops->push_back(op::ListMemories{principals[p], CapsuleRef{c}});
        ops->push_back(
            op::CreateMemory{principals[p], CapsuleRef{c}, pools::MemoryPayloads()[0], key});
        ops->push_back(op::BeginUpload{principals[p], CapsuleRef{c}, 1, key});
      }
    }
    const pools::FinishClaim claim = pools::ClaimFor(1);
    for (uint32_t s = 1; s <= 3; ++s) {
      ops->push_back(op::PutChunk{principals[0], SessionRef{s}, 0, pools::ChunkBytes(0, 0)});
      ops->push_back(op::FinishUpload{principals[0], SessionRef{s}, claim.total_len, claim.digest});
    }
    for (const std::string& id : pools::GalleryIds()) {
      ops->push_back(
          op::CreateGallery{principals[0], CapsuleRef{1}, id, pools::GalleryPayloads()[0]});
    }
    for (const std::string& id : pools::FolderIds()) {
      ops->push_back(op::CreateFolder{principals[0], CapsuleRef{1}, id,
                                      FolderPayload{pools::FolderNames()[0], std::nullopt}});
    }
    for (uint64_t seconds : {limits.session_ttl_seconds, limits.retention_seconds}) {
      ops->push_back(op::AdvanceClock{seconds});
      ops->push_back(
          op::CreateMemory{principals[0], CapsuleRef{1}, pools::MemoryPayloads()[1], key});
      ops->push_back(op::BeginUpload{principals[0], CapsuleRef{1}, 2, key});
      ops->push_back(op::CreateGallery{principals[0], CapsuleRef{1}, pools::GalleryIds()[0],
                                       pools::GalleryPayloads()[1]});
    }
    return ops;
  }();
  return *probe;
}

// `bytes` with its last kChecksumBytes replaced by the checksum of everything before them.
std::string WithValidChecksum(absl::string_view bytes) {
  std::string fixed(bytes);
  const size_t body = fixed.size() - snapshot::kChecksumBytes;
  uint64_t sum = Fnv1a64(absl::string_view(fixed).substr(0, body));
  for (size_t i = 0; i < snapshot::kChecksumBytes; ++i, sum >>= 8) {
    fixed[body + i] = static_cast<char>(sum & 0xFF);
  }
  return fixed;
}

void CheckRestore(absl::string_view bytes) {
  const StoreOptions options;
  absl::StatusOr<std::unique_ptr<ImplStore>> first = ImplStore::Restore(bytes, options);
  if (!first.ok()) {
    if (first.status().code() != absl::StatusCode::kDataLoss) {
      Fail("T3: Restore failed with a code other than Corrupt", first.status().ToString());
    }
    return;
  }
  const std::string again = (*first)->Snapshot();
  absl::StatusOr<std::unique_ptr<ImplStore>> second = ImplStore::Restore(again, options);
  if (!second.ok()) {
    Fail("T2: the snapshot of a restored store does not restore", second.status().ToString());
  }
  if ((*first)->Observe() != (*second)->Observe()) {
    Fail("T2: snapshot and restore changed the observable state", "");
  }
  const RunResult probe = RunDifferential(Probe(), **first, **second);
  if (!probe.ok()) {
    Fail("T2: snapshot and restore changed hidden state",
         FormatReport(probe, "restored", "snapshot of restored"));
  }
}

}  // namespace
}  // namespace idemcheck::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  idemcheck::fuzz::CheckRestore(bytes);
  if (size >= idemcheck::snapshot::kHeaderBytes + idemcheck::snapshot::kChecksumBytes) {
    idemcheck::fuzz::CheckRestore(idemcheck::fuzz::WithValidChecksum(bytes));
  }
  return 0;
}
