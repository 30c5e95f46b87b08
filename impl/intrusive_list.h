// A doubly linked list threaded through its elements: O(1) append and unlink, iteration in
// insertion order. It keeps each capsule's live entities in creation order (R3) without a
// second allocation per entity. The list owns nothing.

#ifndef IDEMCHECK_IMPL_INTRUSIVE_LIST_H_
#define IDEMCHECK_IMPL_INTRUSIVE_LIST_H_

namespace idemcheck::impl_internal {

// Embed in T as a member named `link`.
template <typename T>
struct ListLink {
  T* prev = nullptr;
  T* next = nullptr;
};

template <typename T>
class IntrusiveList {
 public:
  T* front() const { return head_; }
  T* back() const { return tail_; }
  static T* next(const T* item) { return item->link.next; }

  void PushBack(T* item) {
    item->link = ListLink<T>{tail_, nullptr};
    (tail_ != nullptr ? tail_->link.next : head_) = item;
    tail_ = item;
  }

  // Precondition: `item` is in this list.
  void Remove(T* item) {
    (item->link.prev != nullptr ? item->link.prev->link.next : head_) = item->link.next;
    (item->link.next != nullptr ? item->link.next->link.prev : tail_) = item->link.prev;
    item->link = ListLink<T>{};
  }

 private:
  T* head_ = nullptr;
  T* tail_ = nullptr;
};

}  // namespace idemcheck::impl_internal

#endif  // IDEMCHECK_IMPL_INTRUSIVE_LIST_H_
