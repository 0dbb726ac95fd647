//! Work split over the machine's cores, on rayon's pool: the one typst lays pages out on, so a
//! batch build that gives each report one thread of a pool of `--jobs` threads (the batches of
//! `cmd::build`) runs these inside it too, and `--jobs 1` uses one core. A leaf: it knows no other
//! module.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::iter::{IntoParallelIterator, ParallelIterator};

/// `f` over `items`, in order, on the current rayon pool.
pub fn par_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    items.into_par_iter().map(f).collect()
}

/// `work`, and `ahead` on another thread of the pool if one is free: work that only makes what
/// comes later faster (a cache filled, a measure taken ahead). `ahead` is told through its flag
/// when `work` is done and must then stop soon, so that it never makes `work`'s caller wait; in a
/// batch, where no core is idle, it starts after `work` and stops at once.
pub fn meanwhile<A: Send>(
    work: impl FnOnce() -> A + Send,
    ahead: impl FnOnce(&AtomicBool) + Send,
) -> A {
    let done = AtomicBool::new(false);
    let (out, ()) = rayon::join(
        || {
            let out = work();
            done.store(true, Ordering::Relaxed);
            out
        },
        || ahead(&done),
    );
    out
}

/// `a` and `b`, on two threads of the current rayon pool when it has them.
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
}
