// mutant/finish-not-retry-safe: finishing an upload consumes the session, so a retried finish
// fails.
//
// Bug class (h): the commit deletes the session. When the response to FinishUpload is lost and
// the client retries, it gets NotFound and concludes the upload failed, although the blob
// exists (U4: a retry with the same length and digest returns the same blob).

#include <memory>

#include "absl/container/flat_hash_set.h"
#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class FinishNotRetrySafe final : public ForwardingStore {
 public:
  explicit FinishNotRetrySafe(const StoreOptions& options) : ForwardingStore(NewImpl(options)) {}

  absl::StatusOr<StoreId> FinishUpload(absl::string_view caller, StoreId session,
                                       uint64_t total_len, uint64_t digest) override {
    if (committed_.contains(session)) {
      return absl::NotFoundError("no such upload session");  // the bug: consumed at commit
    }
    absl::StatusOr<StoreId> blob = inner().FinishUpload(caller, session, total_len, digest);
    if (blob.ok()) committed_.insert(session);
    return blob;
  }

 private:
  absl::flat_hash_set<StoreId> committed_;
};

IDEMCHECK_REGISTER_STORE(mutant_finish_not_retry_safe,
                         {
                             .name = "mutant/finish-not-retry-safe",
                             .kind = StoreKind::kMutant,
                             .description = "(h) a retried FinishUpload of a committed session "
                                            "is NotFound",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<FinishNotRetrySafe>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
