// mutant/chunk-retry-after-commit: every chunk upload to a committed session is refused.
//
// Bug class: the "session is finished" check comes before the "exact repeat" check. A client
// whose last PutChunk response was lost retries it after another worker finished the upload and
// gets Conflict for bytes the store already holds (U3: an exact repeat succeeds, also after
// commit).

#include <memory>

#include "absl/container/flat_hash_set.h"
#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class ChunkRetryAfterCommit final : public ForwardingStore {
 public:
  explicit ChunkRetryAfterCommit(const StoreOptions& options) : ForwardingStore(NewImpl(options)) {}

  absl::Status PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                        absl::string_view bytes) override {
    absl::Status status = inner().PutChunk(caller, session, index, bytes);
    if (status.ok() && committed_.contains(session)) {
      return absl::AbortedError("session already committed");  // the bug
    }
    return status;
  }

  absl::StatusOr<StoreId> FinishUpload(absl::string_view caller, StoreId session,
                                       uint64_t total_len, uint64_t digest) override {
    absl::StatusOr<StoreId> blob = inner().FinishUpload(caller, session, total_len, digest);
    if (blob.ok()) committed_.insert(session);
    return blob;
  }

 private:
  absl::flat_hash_set<StoreId> committed_;
};

IDEMCHECK_REGISTER_STORE(mutant_chunk_retry_after_commit,
                         {
                             .name = "mutant/chunk-retry-after-commit",
                             .kind = StoreKind::kMutant,
                             .description = "an exact PutChunk repeat after commit is Conflict",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<ChunkRetryAfterCommit>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
