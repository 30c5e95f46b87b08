#include "idemcheck/registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace idemcheck {

absl::string_view StoreKindName(StoreKind kind) {
  switch (kind) {
    case StoreKind::kReference:
      return "reference";
    case StoreKind::kImplementation:
      return "implementation";
    case StoreKind::kMutant:
      return "mutant";
    case StoreKind::kExternal:
      return "external";
  }
  return "unknown";
}

Registry& Registry::Global() {
  static Registry* registry = new Registry();
  return *registry;
}

bool Registry::Add(StoreInfo info) {
  if (Find(info.name) != nullptr) return false;
  stores_.push_back(std::make_unique<StoreInfo>(std::move(info)));
  return true;
}

const StoreInfo* Registry::Find(absl::string_view name) const {
  for (const auto& info : stores_) {
    if (info->name == name) return info.get();
  }
  return nullptr;
}

std::vector<const StoreInfo*> Registry::All() const {
  std::vector<const StoreInfo*> all;
  for (const auto& info : stores_) all.push_back(info.get());
  std::sort(all.begin(), all.end(),
            [](const StoreInfo* a, const StoreInfo* b) { return a->name < b->name; });
  return all;
}

absl::StatusOr<std::unique_ptr<Store>> Registry::Create(absl::string_view name,
                                                        const StoreOptions& options) const {
  const StoreInfo* info = Find(name);
  if (info == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no store named '", name,
        "'; registered: ", absl::StrJoin(All(), ", ", [](std::string* out, const StoreInfo* s) {
          out->append(s->name);
        })));
  }
  return info->factory(options);
}

namespace internal {
StoreRegistrar::StoreRegistrar(StoreInfo info) {
  const std::string name = info.name;
  if (!Registry::Global().Add(std::move(info))) {
    // Two stores claiming one name is a build mistake: fail loudly at startup.
    std::fprintf(stderr, "idemcheck: store name '%s' registered twice\n", name.c_str());
    std::abort();
  }
}
}  // namespace internal

}  // namespace idemcheck
