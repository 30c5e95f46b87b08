// mutant/payload-ignored: a reused key with a different payload returns the old ID.
//
// Bug class (d): the record remembers only the ID, not a fingerprint of the payload, so a client
// that reuses a key for new content is told its create succeeded while the new content is
// silently dropped (M5 requires Conflict).

#include <memory>

#include "absl/container/flat_hash_map.h"
#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class PayloadIgnored final : public ForwardingStore {
 public:
  explicit PayloadIgnored(const StoreOptions& options) : ForwardingStore(NewImpl(options)) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    const Scope scope{capsule, std::string(caller), std::string(key)};
    absl::StatusOr<StoreId> id = inner().CreateMemory(caller, capsule, payload, key);
    if (id.ok() && !key.empty()) last_id_[scope] = *id;
    if (id.status().code() == absl::StatusCode::kAborted) {
      if (auto it = last_id_.find(scope); it != last_id_.end()) return it->second;  // the bug
    }
    return id;
  }

 private:
  absl::flat_hash_map<Scope, StoreId> last_id_;
};

IDEMCHECK_REGISTER_STORE(mutant_payload_ignored,
                         {
                             .name = "mutant/payload-ignored",
                             .kind = StoreKind::kMutant,
                             .description = "(d) another payload under a live key returns the "
                                            "old ID instead of Conflict",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<PayloadIgnored>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
