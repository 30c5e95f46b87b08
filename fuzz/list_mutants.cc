// fuzz_list_mutants: the registered mutants that a sequential fuzzer can kill, one name per line:
// every store of kind mutant except those whose bug shows only when calls overlap.

#include <cstdio>

#include "idemcheck/registry.h"

int main() {
  for (const idemcheck::StoreInfo* info : idemcheck::Registry::Global().All()) {
    if (info->kind == idemcheck::StoreKind::kMutant && !info->concurrent_only) {
      std::printf("%s\n", info->name.c_str());
    }
  }
  return 0;
}
