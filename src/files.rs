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
    write_file(path, bytes, true)
}

/// Writes a file through a temporary file in the same folder and a rename, so that a reader
/// sees the old file or the new one, never part of one; with `sync`, the new file's bytes are on
/// disk before it replaces the old.
pub fn write_file(path: &Path, bytes: &[u8], sync: bool) -> Result<(), Diagnostics> {
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
    if sync {
        tmp.as_file().sync_all().map_err(fail)?;
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Temporary files older than this were left by a write that was killed: a write takes well
/// under a second, and a younger one may belong to a build running now.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// Removes the temporary files a killed write left in `dir` (a killed process cannot remove its
/// own), so they do not pile up in output/. Best effort: one that cannot be removed stays.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stale = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if name.starts_with(".oit025-") && name.ends_with(".tmp") && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
