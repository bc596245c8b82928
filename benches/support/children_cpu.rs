//! CPU time (user + system) spent by the benchmark's waited-for children and theirs: on a
//! machine shared with other work, wall time says how long a user waited, CPU time how
//! much work the commands did.

use std::time::Duration;

pub fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given, which is zeroed and ours.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}
