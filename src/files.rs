//! Files in and out, a leaf every stage and command may use: reads confined to the project
//! (regular files of bounded size, symlinks that stay inside) and atomic writes (a temporary file
//! beside the target, renamed into place, so a reader sees the old file or the new one).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diag::{Code, Diagnostic, Diagnostics, Message};
use crate::msg;

/// Reads a file for a reader that must stay inside `root`: symlinks are resolved and whatever they
/// point to must lie under `root`; only a regular file is read (a FIFO would block for ever, a
/// device never end), and at most `cap` bytes. Content, templates, seals and typst's own reads
/// all come through here.
pub fn read_confined(root: &Path, path: &Path, cap: u64) -> Result<Vec<u8>, (Code, Message)> {
    use std::io::Read;
    let io = |e: std::io::Error| {
        (
            Code::FileUnreadable,
            msg!("อ่านไฟล์ไม่ได้ ({e})", "cannot read file ({e})"),
        )
    };
    let real_root = root.canonicalize().map_err(io)?;
    let real = path.canonicalize().map_err(io)?;
    if !real.starts_with(&real_root) {
        let target = real.display();
        return Err((
            Code::FileOutsideProject,
            msg!(
                "ไฟล์ชี้ออกไปนอกโปรเจกต์ ({target})",
                "file points outside the project ({target})"
            ),
        ));
    }
    let meta = std::fs::metadata(&real).map_err(io)?;
    if !meta.is_file() {
        return Err((
            Code::FileNotRegular,
            msg!(
                "ไม่ใช่ไฟล์ธรรมดา (เช่น FIFO อุปกรณ์ หรือโฟลเดอร์) จึงไม่อ่าน",
                "not a regular file (a FIFO, a device or a folder), not read"
            ),
        ));
    }
    let too_large = |size: u64| {
        (
            Code::FileTooLarge,
            msg!(
                "ไฟล์ใหญ่เกินไป ({size} ไบต์ เกิน {cap})",
                "file too large ({size} bytes, limit {cap})"
            ),
        )
    };
    if meta.len() > cap {
        return Err(too_large(meta.len()));
    }
    // The file may grow after the size was read: never more than the cap is read.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(&real)
        .and_then(|f| f.take(cap + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Writes a file through a temporary file in the same folder, synced to disk, and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostics> {
    write_file(path, bytes, ToDisk::Yes)
}

/// Whether [`write_file`] waits for the new file's bytes to reach the disk before it replaces
/// the old file.
pub enum ToDisk<'a> {
    /// No: a preview, replaced at the next save.
    No,
    Yes,
    /// Yes, on a thread of its own, while this thread runs the closure: a batch frees the last
    /// report's caches in the time the disk takes (0.8 ms a report here, 1% of a batch).
    Beside(&'a mut dyn FnMut()),
}

/// Writes a file through a temporary file in the same folder and a rename, so that a reader
/// sees the old file or the new one, never part of one; synced as `sync` says.
pub fn write_file(path: &Path, bytes: &[u8], sync: ToDisk) -> Result<(), Diagnostics> {
    let shown = path.display().to_string();
    let fail = |e: std::io::Error| -> Diagnostics {
        Diagnostic::error(
            Code::FileUnwritable,
            msg!("เขียนไฟล์ไม่ได้ ({e})", "failed to write file ({e})"),
        )
        .in_file(&shown)
        .into()
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(fail)?;
    remove_stale_temporaries(&dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(".oit025-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    // Temporary files are private (0600); the result is published, so readable like any file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
    }
    match sync {
        ToDisk::No => {}
        ToDisk::Yes => tmp.as_file().sync_all().map_err(fail)?,
        ToDisk::Beside(meanwhile) => {
            let file = tmp.as_file();
            std::thread::scope(|s| {
                // Without a thread (the system has none to give), the sync waits its turn.
                match std::thread::Builder::new().spawn_scoped(s, || file.sync_all()) {
                    Ok(synced) => {
                        meanwhile();
                        synced
                            .join()
                            .unwrap_or_else(|_| Err(std::io::Error::other("sync failed")))
                    }
                    Err(_) => {
                        meanwhile();
                        file.sync_all()
                    }
                }
            })
            .map_err(fail)?;
        }
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Writes a new folder as one step: every file (paths relative to `dir`) into a temporary folder,
/// moved into place once all are written. A failure (a full disk) removes what was written, so a
/// failed `init` or `new` leaves nothing that stops the next run. `dir` must not exist, or be an
/// empty folder. A `dir` that does not exist is written beside it and appears with one rename,
/// so even a killed run leaves none; an empty folder (`init .` in the folder one is in) is kept,
/// the temporary folder made inside it, and its top entries moved in.
///
/// For the tests, `OIT025_FAIL_WRITE=N` makes the Nth file written here fail, as a full disk
/// would.
pub fn write_folder(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), Diagnostics> {
    let exists = dir.is_dir();
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let at = if exists { dir } else { parent.as_path() };
    std::fs::create_dir_all(at).map_err(folder_error(at))?;
    let tmp = tempfile::Builder::new()
        .prefix(".oit025-")
        .suffix(".tmp")
        .tempdir_in(at)
        .map_err(folder_error(dir))?;
    write_tree(tmp.path(), dir, files)?;
    if !exists {
        // A temporary folder is private (0700); the project is the user's like any folder.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
                .map_err(folder_error(dir))?;
        }
        let tmp = tmp.keep();
        return std::fs::rename(&tmp, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            folder_error(dir)(e)
        });
    }
    let mut moved = Vec::new();
    for entry in std::fs::read_dir(tmp.path()).map_err(folder_error(dir))? {
        let entry = entry.map_err(folder_error(dir))?;
        let to = dir.join(entry.file_name());
        if let Err(e) = std::fs::rename(entry.path(), &to) {
            for path in moved {
                let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
            }
            return Err(folder_error(&to)(e));
        }
        moved.push(to);
    }
    Ok(())
}

/// Writes `files` under `tmp`, naming them under `dir` in errors.
fn write_tree(tmp: &Path, dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), Diagnostics> {
    let fail_at: Option<usize> = std::env::var("OIT025_FAIL_WRITE")
        .ok()
        .and_then(|n| n.parse().ok());
    for (k, (rel, bytes)) in files.iter().enumerate() {
        let path = tmp.join(rel);
        let shown = dir.join(rel);
        if fail_at == Some(k + 1) {
            let full = std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left");
            return Err(folder_error(&shown)(full));
        }
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(folder_error(&shown))?;
        }
        std::fs::write(&path, bytes).map_err(folder_error(&shown))?;
    }
    Ok(())
}

/// The error of a write to `path`.
fn folder_error(path: &Path) -> impl Fn(std::io::Error) -> Diagnostics {
    let shown = path.display().to_string();
    move |e| {
        Diagnostic::error(
            Code::FileUnwritable,
            msg!("เขียนไฟล์ไม่ได้ ({e})", "failed to write file ({e})"),
        )
        .in_file(&shown)
        .into()
    }
}

/// Replaces the folder `dir` with one holding `files` (paths relative to `dir`) as one step:
/// the new folder is written beside it, synced, and swapped in, so that a reader, a failure or a
/// kill at any point leaves either the old folder or the new one, each whole. Files of the old
/// folder that `files` does not name are carried over (a site's folder may hold files of the
/// agency's own). On Linux the swap is one `renameat2(RENAME_EXCHANGE)`; elsewhere two renames,
/// and a later call puts back an old folder a kill left set aside between them.
pub fn replace_dir(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), Diagnostics> {
    let fail = |path: &Path| {
        let shown = path.display().to_string();
        move |e: std::io::Error| -> Diagnostics {
            Diagnostic::error(
                Code::FileUnwritable,
                msg!("เขียนไฟล์ไม่ได้ ({e})", "failed to write file ({e})"),
            )
            .in_file(&shown)
            .into()
        }
    };
    let name = dir
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(fail(&parent))?;
    let aside = parent.join(format!(".{name}.oit025-old"));
    if !dir.exists() && aside.is_dir() {
        std::fs::rename(&aside, dir).map_err(fail(dir))?;
    }
    remove_stale_folders(&parent, &format!(".{name}.oit025-"));
    let mut step = fault_injection();
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.oit025-"))
        .tempdir_in(&parent)
        .map_err(fail(&parent))?;
    // A temporary folder is private (0700); the site is published, so readable like any folder.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(fail(&parent))?;
    }
    for (rel, bytes) in files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(fail(p))?;
        }
        step();
        write_new(&path, bytes).map_err(fail(&dir.join(rel)))?;
    }
    step();
    if dir.is_dir() {
        carry_over(dir, staging.path(), Path::new("")).map_err(fail(dir))?;
    }
    step();
    // The folder's entries made durable before it is swapped in. Unix only: Windows refuses to
    // open a folder as a file (access denied, so publish failed there), and NTFS journals them.
    #[cfg(unix)]
    std::fs::File::open(staging.path())
        .and_then(|d| d.sync_all())
        .map_err(fail(&parent))?;
    step();
    swap_in(staging.path(), dir, &aside).map_err(fail(dir))?;
    step();
    // `staging` now names the old folder (or nothing), removed when it is dropped.
    Ok(())
}

/// The environment variable that makes [`replace_dir`] abort the process at one of its steps
/// (`OIT025_ABORT_AT_STEP=3`: before its fourth), as a kill would: the tests use it to show that
/// a site killed at any step is whole, old or new.
pub const ABORT_AT_STEP: &str = "OIT025_ABORT_AT_STEP";

/// A counter of [`replace_dir`]'s steps that aborts at the one [`ABORT_AT_STEP`] names.
fn fault_injection() -> impl FnMut() {
    let at: Option<usize> = std::env::var(ABORT_AT_STEP)
        .ok()
        .and_then(|v| v.parse().ok());
    let mut step = 0;
    move || {
        if at == Some(step) {
            std::process::abort();
        }
        step += 1;
    }
}

/// Removes the folders named `prefix...` in `dir` that a killed [`replace_dir`] left behind,
/// once they are older than [`STALE_AFTER`].
fn remove_stale_folders(dir: &Path, prefix: &str) {
    for (path, kind) in stale_entries(dir, |name| name.starts_with(prefix)) {
        if kind.is_dir() {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// A new file with `bytes`, synced, readable by all.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Copies into `to` every file under `from/rel` that `to` does not have.
fn carry_over(from: &Path, to: &Path, rel: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from.join(rel))? {
        let entry = entry?;
        let rel = rel.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            std::fs::create_dir_all(to.join(&rel))?;
            carry_over(from, to, &rel)?;
        } else if kind.is_file() && !to.join(&rel).exists() {
            std::fs::copy(entry.path(), to.join(&rel))?;
        }
    }
    Ok(())
}

/// Puts the folder `new` in the place of `dir`; the old folder ends up at `new`'s path.
#[cfg(target_os = "linux")]
fn swap_in(new: &Path, dir: &Path, _aside: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    if !dir.exists() {
        return std::fs::rename(new, dir);
    }
    renameat_with(CWD, new, CWD, dir, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Puts the folder `new` in the place of `dir` with two renames, the old folder set aside at
/// `aside` between them and moved to `new`'s path after.
#[cfg(not(target_os = "linux"))]
fn swap_in(new: &Path, dir: &Path, aside: &Path) -> std::io::Result<()> {
    if !dir.exists() {
        return std::fs::rename(new, dir);
    }
    std::fs::rename(dir, aside)?;
    std::fs::rename(new, dir)?;
    std::fs::rename(aside, new)
}

/// Temporary files older than this were left by a write that was killed: a write takes well
/// under a second, and a younger one may belong to a build running now.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// Removes the temporary files a killed write left in `dir` (a killed process cannot remove its
/// own), so they do not pile up in output/. Best effort: one that cannot be removed stays.
fn remove_stale_temporaries(dir: &Path) {
    let ours = |name: &str| name.starts_with(".oit025-") && name.ends_with(".tmp");
    for (path, kind) in stale_entries(dir, ours) {
        if kind.is_file() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The entries of `dir` whose name is `ours` and that were last changed more than
/// [`STALE_AFTER`] ago: path and kind (a link is a link, not what it points to). Only those
/// named so are looked at further (a PDF written into a folder of hundreds of files took 1 ms
/// more when each was).
fn stale_entries(dir: &Path, ours: impl Fn(&str) -> bool) -> Vec<(PathBuf, std::fs::FileType)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    (entries.filter_map(Result::ok))
        .filter(|entry| ours(&entry.file_name().to_string_lossy()))
        .filter_map(|entry| {
            let meta = entry.metadata().ok()?;
            let age = meta.modified().ok()?.elapsed().ok()?;
            (age > STALE_AFTER).then(|| (entry.path(), meta.file_type()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file synced beside other work is in place, whole, once both are done, and the work ran
    /// once; an earlier file is replaced only then.
    #[test]
    fn a_file_synced_beside_other_work_replaces_the_old_one_after_both() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out").join("report.pdf");
        write_file(&path, b"old", ToDisk::Yes).unwrap();
        let mut ran = 0;
        let mut seen = Vec::new();
        write_file(
            &path,
            b"new",
            ToDisk::Beside(&mut || {
                ran += 1;
                seen = std::fs::read(&path).unwrap();
            }),
        )
        .unwrap();
        assert_eq!(ran, 1);
        assert_eq!(
            seen, b"old",
            "the new file replaced the old before the sync"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
    }
}
