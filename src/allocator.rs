//! The allocator of the `naql` binary and its benchmarks.

/// The `naql` binary's global allocator: mimalloc, asked for an alignment only when
/// its blocks may lack it.
///
/// ```
/// #[global_allocator]
/// static ALLOCATOR: naql::Allocator = naql::Allocator;
/// # fn main() { assert_eq!(vec![1u64; 300].iter().sum::<u64>(), 300); }
/// ```
///
/// The `mimalloc` crate's allocator asks `mi_malloc_aligned` for every allocation,
/// which serves one over 1 KiB only by its general path for alignments (367
/// instructions a call, where `mi_malloc` looks up a page of the size), and a growing
/// vector went the same way through `mi_realloc_aligned`. Every mimalloc block of more
/// than 8 bytes is aligned to 16 (`MI_MAX_ALIGN_SIZE`) and a smaller one to 8, so a
/// layout whose alignment is at most 16 and at most its size needs no more: the test
/// the standard library's allocator makes before a plain `malloc`.
pub struct Allocator;

/// The alignment every mimalloc block of more than 8 bytes has.
const MIN_ALIGN: usize = 16;

/// Whether a plain mimalloc block of `size` bytes has the alignment `align`.
#[inline(always)]
fn plain(align: usize, size: usize) -> bool {
    align <= MIN_ALIGN && align <= size
}

/// A new block for `layout` from mimalloc's `plain` call when its blocks have the
/// alignment (see [`plain`]), else from its `aligned` one.
///
/// # Safety
///
/// `layout` has a nonzero size, and the two functions allocate as mimalloc's do.
#[inline(always)]
unsafe fn fresh(
    layout: std::alloc::Layout,
    plain_call: unsafe extern "C" fn(usize) -> *mut std::ffi::c_void,
    aligned_call: unsafe extern "C" fn(usize, usize) -> *mut std::ffi::c_void,
) -> *mut u8 {
    // SAFETY: the caller's conditions.
    unsafe {
        if plain(layout.align(), layout.size()) {
            plain_call(layout.size()).cast()
        } else {
            aligned_call(layout.size(), layout.align()).cast()
        }
    }
}

// SAFETY: every pointer comes from mimalloc with the layout's size and at least its
// alignment (see `plain`), and `mi_free` frees blocks of either kind.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        // SAFETY: mimalloc's allocation functions, for a layout of nonzero size.
        unsafe { fresh(layout, mi_malloc, mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        // SAFETY: as for `alloc`.
        unsafe { fresh(layout, mi_zalloc, mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        // SAFETY: `ptr` came from this allocator with `layout`; the new block keeps
        // the alignment (see `plain`), and mimalloc copies the contents.
        unsafe {
            if plain(layout.align(), new_size) {
                mi_realloc(ptr.cast(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    // The test binary's allocator is the system's: each call goes to `Allocator`.
    use super::Allocator;
    use std::alloc::{GlobalAlloc, Layout};

    /// Blocks of every size up to 5 KiB (past mimalloc's small sizes), with every
    /// alignment a Rust type may ask for up to a page, have it, and keep it when grown
    /// or shrunk.
    #[test]
    fn blocks_have_their_alignment() {
        for size in 1..=5 * 1024 {
            for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: nonzero sizes; each block is freed with its layout.
                unsafe {
                    let p = Allocator.alloc(layout);
                    assert!(!p.is_null() && p as usize % align == 0, "{size} {align}");
                    p.write_bytes(0xAB, size);
                    // Grown for odd sizes, shrunk for even ones.
                    let new_size = if size % 2 == 1 {
                        size * 2 + 1
                    } else {
                        size / 2
                    };
                    let q = Allocator.realloc(p, layout, new_size);
                    assert!(q as usize % align == 0, "{size} to {new_size} {align}");
                    assert!((0..size.min(new_size)).all(|i| *q.add(i) == 0xAB));
                    Allocator.dealloc(q, Layout::from_size_align(new_size, align).unwrap());
                    let z = Allocator.alloc_zeroed(layout);
                    assert!(z as usize % align == 0, "{size} {align} zeroed");
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    Allocator.dealloc(z, layout);
                }
            }
        }
    }
}
