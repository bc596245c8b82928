//! The tar streams of `kubectl cp`: what it sends to `tar -xmf -` in the container
//! (entries named after the destination), and how it unpacks what `tar cf -` in the
//! container sends back (entries must start with the source's path; nothing may land
//! outside the destination; symlinks are skipped with a warning).

use super::paths;
use std::io::Write;
use std::path::Path;

/// A tar of local `src` whose entries are named from `dest` (a path in the container):
/// a file is one entry named `base(dest)`; a directory's files are entries below that
/// name, and only an empty directory has an entry of its own.
pub fn pack(src: &str, dest: &str) -> Result<Vec<u8>, String> {
    let mut builder = tar::Builder::new(Vec::new());
    builder.follow_symlinks(false);
    let src = paths::clean(src);
    let name = paths::base(&paths::clean(dest));
    add(&mut builder, Path::new(&src), &name)?;
    builder.into_inner().map_err(|e| e.to_string())
}

fn add(builder: &mut tar::Builder<Vec<u8>>, path: &Path, name: &str) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        let mut children: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        children.sort();
        if children.is_empty() {
            return builder
                .append_path_with_name(path, name)
                .map_err(|e| e.to_string());
        }
        for child in children {
            add(builder, &path.join(&child), &format!("{name}/{child}"))?;
        }
        return Ok(());
    }
    builder
        .append_path_with_name(path, name)
        .map_err(|e| e.to_string())
}

/// Unpacks `data` (from `tar cf - <src>` in the container) into local `dest`. `prefix` is
/// the source path without leading slashes, as the container's tar names entries.
/// `symlink_hint` is kubectl's suggestion for the first skipped symlink.
pub fn unpack(
    data: &[u8],
    prefix: &str,
    dest: &str,
    symlink_hint: &str,
    err: &mut dyn Write,
) -> Result<(), String> {
    let mut archive = tar::Archive::new(data);
    let entries = archive.entries().map_err(|e| e.to_string())?;
    let mut hinted = false;
    for entry in entries {
        let mut entry = entry.map_err(|e| e.to_string())?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(rest) = name.strip_prefix(prefix) else {
            return Err("tar contents corrupted".to_string());
        };
        let target = paths::join(dest, rest);
        if !paths::is_within(dest, &target) {
            let _ = writeln!(
                err,
                "warning: file {target:?} is outside target destination, skipping"
            );
            continue;
        }
        std::fs::create_dir_all(paths::dir(&target)).map_err(|e| e.to_string())?;
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| e.to_string())?;
            continue;
        }
        if kind.is_symlink() {
            let link = entry
                .link_name_bytes()
                .map(|l| String::from_utf8_lossy(&l).into_owned())
                .unwrap_or_default();
            if hinted {
                let _ = writeln!(err, "warning: skipping symlink: {target:?} -> {link:?}");
            } else {
                let _ = writeln!(
                    err,
                    "warning: skipping symlink: {target:?} -> {link:?} {symlink_hint}"
                );
                hinted = true;
            }
            continue;
        }
        let mut file = std::fs::File::create(&target).map_err(|e| e.to_string())?;
        std::io::copy(&mut entry, &mut file).map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(what: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("kubelite-cp-{}-{what}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn names(data: &[u8]) -> Vec<String> {
        tar::Archive::new(data)
            .entries()
            .unwrap()
            .map(|e| String::from_utf8_lossy(&e.unwrap().path_bytes()).into_owned())
            .collect()
    }

    #[test]
    fn entries_are_named_after_the_destination() {
        let d = scratch("pack");
        std::fs::write(d.join("f.txt"), "hi").unwrap();
        std::fs::create_dir_all(d.join("tree/empty")).unwrap();
        std::fs::write(d.join("tree/a"), "a").unwrap();
        let file = pack(d.join("f.txt").to_str().unwrap(), "/tmp/g.txt").unwrap();
        assert_eq!(names(&file), ["g.txt"]);
        let tree = pack(d.join("tree").to_str().unwrap(), "/srv/site").unwrap();
        // A directory entry is named without a trailing slash, as kubectl names it.
        assert_eq!(names(&tree), ["site/a", "site/empty"]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn unpacking_strips_the_prefix_and_refuses_escapes() {
        let d = scratch("unpack");
        let mut b = tar::Builder::new(Vec::new());
        let mut add = |name: &str, body: &[u8]| {
            let mut h = tar::Header::new_gnu();
            h.set_size(body.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, body).unwrap();
        };
        add("etc/app/conf", b"x=1\n");
        add("etc/app/sub/more", b"y\n");
        let data = b.into_inner().unwrap();
        let out = d.join("out");
        let mut err = Vec::new();
        unpack(&data, "etc/app", out.to_str().unwrap(), "", &mut err).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("conf")).unwrap(), "x=1\n");
        assert_eq!(
            std::fs::read_to_string(out.join("sub/more")).unwrap(),
            "y\n"
        );
        assert!(err.is_empty());
        let corrupt = unpack(&data, "other", out.to_str().unwrap(), "", &mut err);
        assert_eq!(corrupt.unwrap_err(), "tar contents corrupted");
        let _ = std::fs::remove_dir_all(&d);
    }
}
