#include "bench/counting_allocator.h"

#include <malloc.h>

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace idemcheck::bench {
namespace {

std::atomic<bool> counting{false};
std::atomic<int64_t> net_bytes{0};

// What one allocation occupies in glibc malloc: its usable size and the chunk header.
int64_t Footprint(void* p) { return static_cast<int64_t>(malloc_usable_size(p) + sizeof(size_t)); }

void* Allocate(size_t size, size_t alignment) {
  if (size == 0) size = 1;
  void* p = nullptr;
  if (alignment <= alignof(std::max_align_t)) {
    p = std::malloc(size);
  } else if (posix_memalign(&p, alignment, size) != 0) {
    p = nullptr;
  }
  if (p != nullptr && counting.load(std::memory_order_relaxed)) {
    net_bytes.fetch_add(Footprint(p), std::memory_order_relaxed);
  }
  return p;
}

void* AllocateOrThrow(size_t size, size_t alignment) {
  void* p = Allocate(size, alignment);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void Release(void* p) {
  if (p == nullptr) return;
  if (counting.load(std::memory_order_relaxed)) {
    net_bytes.fetch_sub(Footprint(p), std::memory_order_relaxed);
  }
  std::free(p);
}

}  // namespace

HeapGrowth::HeapGrowth() {
  [[maybe_unused]] const bool was_counting = counting.exchange(true);
  assert(!was_counting && "HeapGrowth windows do not nest");
  start_ = net_bytes.load(std::memory_order_relaxed);
}

HeapGrowth::~HeapGrowth() { counting.store(false); }

int64_t HeapGrowth::bytes() const { return net_bytes.load(std::memory_order_relaxed) - start_; }

}  // namespace idemcheck::bench

// The replaceable global allocation functions ([new.delete]); every form routes to the two
// functions above so that no allocation escapes the count.
using idemcheck::bench::AllocateOrThrow;
using idemcheck::bench::Release;

void* operator new(size_t size) { return AllocateOrThrow(size, 0); }
void* operator new[](size_t size) { return AllocateOrThrow(size, 0); }
void* operator new(size_t size, std::align_val_t al) {
  return AllocateOrThrow(size, static_cast<size_t>(al));
}
void* operator new[](size_t size, std::align_val_t al) {
  return AllocateOrThrow(size, static_cast<size_t>(al));
}
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  return idemcheck::bench::Allocate(size, 0);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  return idemcheck::bench::Allocate(size, 0);
}
void* operator new(size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return idemcheck::bench::Allocate(size, static_cast<size_t>(al));
}
void* operator new[](size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return idemcheck::bench::Allocate(size, static_cast<size_t>(al));
}

void operator delete(void* p) noexcept { Release(p); }
void operator delete[](void* p) noexcept { Release(p); }
void operator delete(void* p, size_t) noexcept { Release(p); }
void operator delete[](void* p, size_t) noexcept { Release(p); }
void operator delete(void* p, std::align_val_t) noexcept { Release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { Release(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { Release(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { Release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { Release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { Release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { Release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { Release(p); }
