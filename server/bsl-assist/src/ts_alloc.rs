//! Hands tree-sitter's C library the allocator the Rust side uses (mimalloc): the parser
//! allocates every node and parse-stack entry with `malloc`, and glibc's `malloc` costs
//! about twice as much per call, more so with several threads parsing at once.
#![allow(unsafe_code)]

use std::ffi::c_void;

use libmimalloc_sys::{mi_calloc, mi_free, mi_malloc, mi_realloc};

/// tree-sitter's own wrappers abort when `malloc` fails; these do the same, as
/// `set_allocator` requires (no null for a non-zero size).
extern "C" fn malloc(size: usize) -> *mut c_void {
    // SAFETY: mimalloc's `malloc`, callable with any size.
    let p = unsafe { mi_malloc(size) };
    if p.is_null() && size > 0 {
        std::process::abort();
    }
    p
}

extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    // SAFETY: mimalloc's `calloc`, which checks `count * size` for overflow.
    let p = unsafe { mi_calloc(count, size) };
    if p.is_null() && count > 0 && size > 0 {
        std::process::abort();
    }
    p
}

extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: `ptr` is null or came from one of these functions (tree-sitter frees and
    // reallocates only what its allocator gave it).
    let p = unsafe { mi_realloc(ptr, size) };
    if p.is_null() && size > 0 {
        std::process::abort();
    }
    p
}

extern "C" fn free(ptr: *mut c_void) {
    // SAFETY: as for `realloc`.
    unsafe { mi_free(ptr) }
}

/// Installs mimalloc as tree-sitter's allocator. Call it first thing in `main`.
pub fn install() {
    let allocator = tree_sitter::Allocator { malloc, calloc, realloc, free };
    // SAFETY: called at the start of `main`, before any other thread runs and before any
    // tree-sitter object exists; the four functions are one allocator family, and
    // mimalloc aligns as `malloc` does (16 bytes).
    unsafe { tree_sitter::set_allocator(Some(allocator)) }
}
