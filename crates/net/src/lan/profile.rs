//! Whether the operating system treats the network as public, where its
//! firewall then keeps other laptops from finding or reaching this one.
//!
//! On Windows the installer's firewall rules apply on private and domain
//! networks only (docs/network.md, "Windows"): on a network Windows calls
//! *public* discovery cannot work and incoming sessions are blocked, and
//! the person is told so. Elsewhere the category is not known.

/// How the operating system classes the networks this device is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkCategory {
    /// At least one network is public: the app's firewall rules do not
    /// apply there.
    Public,
    /// Every network is private or a domain's.
    Private,
    /// Not known (another system, or the question could not be asked).
    Unknown,
}

/// How long the system's answer is waited for.
#[cfg(windows)]
const ASK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The category of the networks this device is on now. Blocking (on
/// Windows it asks PowerShell, which takes a second or two): call it off
/// the async runtime's threads.
pub fn current() -> NetworkCategory {
    ask().map_or(NetworkCategory::Unknown, |text| from_categories(&text))
}

/// Classes the `NetworkCategory` values `Get-NetConnectionProfile` prints,
/// one per connected network: `Public` if any is, `Private` if every one
/// is private or a domain's.
pub fn from_categories(text: &str) -> NetworkCategory {
    let mut any = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        any = true;
        match line.to_ascii_lowercase().as_str() {
            "public" | "0" => return NetworkCategory::Public,
            "private" | "domainauthenticated" | "1" | "2" => {}
            _ => return NetworkCategory::Unknown,
        }
    }
    if any {
        NetworkCategory::Private
    } else {
        NetworkCategory::Unknown
    }
}

#[cfg(windows)]
fn ask() -> Option<String> {
    use std::os::windows::process::CommandExt;
    use std::process::{Command, Stdio};
    /// No console window flashes up while PowerShell answers.
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    // By its full path: a `powershell.exe` earlier on PATH is not asked.
    let root = std::env::var_os("SystemRoot").unwrap_or_else(|| "C:\\Windows".into());
    let exe = std::path::Path::new(&root)
        .join("System32")
        .join("WindowsPowerShell")
        .join("v1.0")
        .join("powershell.exe");
    let mut child = Command::new(exe)
        .args([
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            "Get-NetConnectionProfile | ForEach-Object { $_.NetworkCategory.ToString() }",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .creation_flags(CREATE_NO_WINDOW)
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + ASK_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(_)) | Err(_) => return None,
            Ok(None) if std::time::Instant::now() >= deadline => {
                // Ended by its own handle, never by name.
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
    Some(out)
}

#[cfg(not(windows))]
fn ask() -> Option<String> {
    None
}
