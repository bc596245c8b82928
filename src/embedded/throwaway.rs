//! Throwaway homes: the temporary clusters `kubelite test` makes for its scenarios, deleted
//! when the scenario ends. Their store is never synced to disk (`RedbStore::open_unsynced`):
//! a one-shot command syncs the store file five times or more, which costs a scenario of
//! twenty commands as much as the rest of its work, for a crash safety nobody needs there.
//!
//! A user's cluster is never taken for a throwaway one, whatever its environment says (its
//! user may still opt out of syncing, `embedded::syncing`): a home is throwaway only when it
//! holds a marker file whose content is the random token the runner drew for this run and
//! hands to its commands in `KUBELITE_THROWAWAY_TOKEN`. The runner writes the marker only
//! into directories it created itself; a scenario that points `KUBELITE_HOME` at a kept
//! cluster (`@env`) finds no marker there, and snapshots never carry the marker.

use std::path::Path;

/// The marker file in a throwaway home.
pub const MARKER: &str = ".kubelite-throwaway";
/// The variable that carries the run's token to the runner's commands.
pub const TOKEN_ENV: &str = "KUBELITE_THROWAWAY_TOKEN";

/// Whether `home` is a throwaway home of the run whose token the environment holds.
pub fn is_throwaway(home: &Path) -> bool {
    matches_token(home, std::env::var(TOKEN_ENV).ok().as_deref())
}

fn matches_token(home: &Path, token: Option<&str>) -> bool {
    let Some(token) = token.filter(|t| t.len() >= 32) else {
        return false;
    };
    std::fs::read_to_string(home.join(MARKER)).is_ok_and(|m| m == token)
}

/// Marks `home` (a directory the caller just created) as a throwaway home of the run with
/// `token`.
pub fn mark(home: &Path, token: &str) -> Result<(), String> {
    std::fs::write(home.join(MARKER), token)
        .map_err(|e| format!("cannot write {}: {e}", home.join(MARKER).display()))
}

/// A new run's token: 128 bits from the kernel, as hex.
pub fn new_token() -> Result<String, String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_marked_home_with_the_runs_token_is_throwaway() {
        let home = std::env::temp_dir().join(format!("kl-throwaway-{}", std::process::id()));
        std::fs::create_dir_all(&home).unwrap();
        let token = new_token().unwrap();
        // A kept cluster's home, whatever the environment says.
        assert!(!matches_token(&home, Some(&token)));
        mark(&home, &token).unwrap();
        assert!(matches_token(&home, Some(&token)));
        assert!(!matches_token(&home, None));
        assert!(!matches_token(&home, Some(&new_token().unwrap())));
        // An empty marker and an empty token never match.
        std::fs::write(home.join(MARKER), "").unwrap();
        assert!(!matches_token(&home, Some("")));
        let _ = std::fs::remove_dir_all(&home);
    }
}
