//! Operating-system errors in words: no "(os error N)" reaches the user. A permission
//! error names who owns the file or directory in the way and its mode, with the fix.

use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// What went wrong, in words, for an I/O error (`permission denied`, `it is a file, not a
/// directory` …); the operating system's text without its error number otherwise.
pub fn reason(e: &io::Error) -> String {
    use io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "no such file or directory".into(),
        K::PermissionDenied => "permission denied".into(),
        K::AlreadyExists => "something else already exists under that name".into(),
        K::NotADirectory => "a part of the path is a file, not a directory".into(),
        K::IsADirectory => "it is a directory".into(),
        K::ReadOnlyFilesystem => "the file system is read-only".into(),
        K::StorageFull => "the disk is full".into(),
        K::QuotaExceeded => "the disk quota is exceeded".into(),
        K::DirectoryNotEmpty => "the directory is not empty".into(),
        K::TimedOut => "timed out".into(),
        _ => without_number(&e.to_string()),
    }
}

/// `Permission denied (os error 13)` → `permission denied`.
fn without_number(text: &str) -> String {
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// For a permission error on `path`: who owns the nearest existing part of it and its
/// mode (`/srv/certs is owned by root (uid 0), mode 0755`), and the fix.
pub fn permission(path: &Path) -> Option<(String, String)> {
    let (at, meta) = path
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .find_map(|p| std::fs::metadata(p).ok().map(|m| (p, m)))
        .or_else(|| std::fs::metadata(".").ok().map(|m| (Path::new("."), m)))?;
    let me = rustix::process::geteuid().as_raw();
    let owner = meta.uid();
    let what = format!(
        "{} is owned by {}, mode {:04o}",
        at.display(),
        user_name(owner),
        meta.mode() & 0o7777
    );
    let hint = if owner == me {
        let bits = if meta.is_dir() { "u+rwx" } else { "u+rw" };
        format!("run `chmod {bits} {}`", at.display())
    } else {
        let sudo = match owner {
            0 => "sudo".to_owned(),
            _ => format!(
                "sudo -u {}",
                name_of(owner).unwrap_or_else(|| format!("'#{owner}'"))
            ),
        };
        format!(
            "run `{sudo} {}` as its owner, or give -d a directory you own",
            this_command()
        )
    };
    Some((what, hint))
}

/// This run's command line, as typed again (`aitls -d /srv/certs server`).
fn this_command() -> String {
    std::iter::once("aitls".to_owned())
        .chain(
            std::env::args()
                .skip(1)
                .map(|a| super::quote::shell_quote(&a)),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

/// `root (uid 0)`, or `uid 1001` when /etc/passwd does not name it.
fn user_name(uid: u32) -> String {
    match name_of(uid) {
        Some(name) => format!("{name} (uid {uid})"),
        None => format!("uid {uid}"),
    }
}

fn name_of(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id = fields.nth(1)?.parse::<u32>().ok()?;
        (id == uid).then(|| name.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_error_number_is_shown() {
        let e = io::Error::from_raw_os_error(17);
        assert_eq!(reason(&e), "something else already exists under that name");
        let e = io::Error::from_raw_os_error(20);
        assert_eq!(reason(&e), "a part of the path is a file, not a directory");
        let e = io::Error::from_raw_os_error(71); // EPROTO: no kind of its own
        assert!(!reason(&e).contains("os error"), "{}", reason(&e));
        assert_eq!(
            without_number("Permission denied (os error 13)"),
            "permission denied"
        );
    }
}
