//! Whether a cluster's store file is synced to disk. It always is, so that an acknowledged
//! write survives a crash of the machine, except where syncing buys nothing or its user
//! says so:
//! - a throwaway home of `kubelite test` (`throwaway`), deleted when its scenario ends;
//! - `KUBELITE_UNSAFE_NO_FSYNC=1`, an explicit opt-in (as etcd's `--unsafe-no-fsync`) for
//!   clusters someone can rebuild: CI jobs, benchmarks, a clock walked step by step. A
//!   killed process loses nothing there (the bytes are in the kernel's page cache), but a
//!   crash of the machine or a power loss may lose acknowledged writes or damage the file.

use std::path::Path;

/// The variable that turns syncing off for every cluster a process opens.
pub const UNSAFE_NO_FSYNC_ENV: &str = "KUBELITE_UNSAFE_NO_FSYNC";

/// How the store of the cluster kept in `home` is opened.
#[derive(Debug, PartialEq, Eq)]
pub enum Syncing {
    /// Every acknowledged write is on disk (the default).
    Durable,
    /// Nothing is ever synced.
    Unsynced,
}

/// The choice for `home`, from the process's environment; an opt-in that is neither on nor
/// off is refused rather than guessed.
pub fn for_home(home: &Path) -> Result<Syncing, String> {
    let opt_in = std::env::var(UNSAFE_NO_FSYNC_ENV).ok();
    choose(super::throwaway::is_throwaway(home), opt_in.as_deref())
}

fn choose(throwaway: bool, opt_in: Option<&str>) -> Result<Syncing, String> {
    let asked = match opt_in.unwrap_or("") {
        "1" | "true" => true,
        "" | "0" | "false" => false,
        other => {
            return Err(format!(
                "{UNSAFE_NO_FSYNC_ENV}={other:?}: expected 1 (do not sync the store) or 0"
            ));
        }
    };
    Ok(if throwaway || asked {
        Syncing::Unsynced
    } else {
        Syncing::Durable
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durable_unless_throwaway_or_asked() {
        assert_eq!(choose(false, None), Ok(Syncing::Durable));
        assert_eq!(choose(false, Some("")), Ok(Syncing::Durable));
        assert_eq!(choose(false, Some("0")), Ok(Syncing::Durable));
        assert_eq!(choose(false, Some("false")), Ok(Syncing::Durable));
        assert_eq!(choose(false, Some("1")), Ok(Syncing::Unsynced));
        assert_eq!(choose(false, Some("true")), Ok(Syncing::Unsynced));
        assert_eq!(choose(true, None), Ok(Syncing::Unsynced));
        assert_eq!(choose(true, Some("0")), Ok(Syncing::Unsynced));
    }

    #[test]
    fn an_unclear_opt_in_is_refused() {
        let err = choose(false, Some("yes")).unwrap_err();
        assert!(err.contains("KUBELITE_UNSAFE_NO_FSYNC=\"yes\""), "{err}");
        assert!(choose(true, Some("on")).is_err());
    }

    #[test]
    fn a_users_home_is_durable_without_the_opt_in() {
        // A plain directory: no throwaway marker, whatever token the environment holds.
        let home = std::env::temp_dir().join(format!("kl-syncing-{}", std::process::id()));
        std::fs::create_dir_all(&home).unwrap();
        let throwaway = crate::embedded::throwaway::is_throwaway(&home);
        assert_eq!(choose(throwaway, None), Ok(Syncing::Durable));
        let _ = std::fs::remove_dir_all(&home);
    }
}
