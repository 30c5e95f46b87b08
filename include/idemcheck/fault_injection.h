// An optional capability of a store: failing an operation part-way through, as an allocation
// failure would, so that properties can check the strong guarantee (every operation is atomic:
// if it fails, the store is exactly as it was before).
//
// Properties find the capability with dynamic_cast<FaultInjectable*>(store); stores without it
// are simply not checked for atomicity.

#ifndef IDEMCHECK_FAULT_INJECTION_H_
#define IDEMCHECK_FAULT_INJECTION_H_

#include <cstdint>

namespace idemcheck {

class FaultInjectable {
 public:
  virtual ~FaultInjectable() = default;

  // Arms a fault for the next operation: its internal step number `step` (0-based; a step is any
  // point where the store allocates or mutates) fails. That operation must then return
  // absl::UnavailableError (outside the contract, so a runner sees it as a failure) and leave
  // the store exactly as before. The fault is disarmed after that one operation, fired or not.
  virtual void ArmFault(uint64_t step) = 0;

  // Whether the last armed fault fired, i.e. the operation reached step number `step`.
  virtual bool FaultFired() const = 0;
};

}  // namespace idemcheck

#endif  // IDEMCHECK_FAULT_INJECTION_H_
