//! Two laptops on one link, made without privileges: a user namespace
//! owns two network namespaces, each holding one end of a veth pair
//! (10.77.0.1 and 10.77.0.2), so mDNS and TCP between them cross a real
//! interface and never touch the machine's networks. Held by two `sleep`
//! processes this module started and ends (by their own pids) when the
//! link is dropped.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the holders live if the test itself is killed.
const HOLD_SECONDS: &str = "900";

pub struct Link {
    a: Child,
    b: Child,
}

#[derive(Clone, Copy)]
pub enum Host {
    A,
    B,
}

impl Link {
    /// The link, or why this user may not make one (the test is then
    /// skipped: unprivileged user namespaces are off on some machines).
    pub fn make() -> Result<Link, String> {
        let a = spawn("unshare", &["-rn", "--", "sleep", HOLD_SECONDS])?;
        let mut link = Link {
            b: spawn("true", &[])?,
            a,
        };
        wait_exec(&link.a)?;
        // The second namespace belongs to the first one's user namespace,
        // so one end of the pair can be moved into it.
        link.b = spawn(
            "nsenter",
            &[
                "-t",
                &link.a.id().to_string(),
                "-U",
                "--preserve-credentials",
                "--",
                "unshare",
                "-n",
                "--",
                "sleep",
                HOLD_SECONDS,
            ],
        )?;
        wait_exec(&link.b)?;
        let pb = link.b.id().to_string();
        link.run(
            Host::A,
            &format!(
                "ip link set lo up && ip link add va type veth peer name vb && \
                 ip link set vb netns {pb} && ip addr add 10.77.0.1/24 dev va && ip link set va up"
            ),
        )?;
        link.run(
            Host::B,
            "ip link set lo up && ip addr add 10.77.0.2/24 dev vb && ip link set vb up",
        )?;
        Ok(link)
    }

    /// The command prefix that runs a program on `host`.
    pub fn prefix(&self, host: Host) -> Vec<String> {
        let pid = match host {
            Host::A => self.a.id(),
            Host::B => self.b.id(),
        };
        [
            "nsenter",
            "-t",
            &pid.to_string(),
            "-U",
            "-n",
            "--preserve-credentials",
            "--",
        ]
        .map(String::from)
        .to_vec()
    }

    fn run(&self, host: Host, script: &str) -> Result<(), String> {
        let prefix = self.prefix(host);
        let out = Command::new(&prefix[0])
            .args(&prefix[1..])
            .args(["sh", "-c", script])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("nsenter: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{script}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        for holder in [&mut self.a, &mut self.b] {
            let _ = holder.kill();
            let _ = holder.wait();
        }
    }
}

fn spawn(program: &str, args: &[&str]) -> Result<Child, String> {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))
}

/// Waits until `holder` runs `sleep` (its namespaces are made), or fails
/// with what it said if it ended first.
fn wait_exec(holder: &Child) -> Result<(), String> {
    let comm = format!("/proc/{}/comm", holder.id());
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        match std::fs::read_to_string(&comm) {
            Ok(name) if name.trim() == "sleep" => return Ok(()),
            // Ended (a zombie keeps its last name) or not yet exec'd.
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
        let status =
            std::fs::read_to_string(format!("/proc/{}/stat", holder.id())).unwrap_or_default();
        if status.contains(") Z ") {
            return Err("a namespace could not be made (unprivileged user namespaces off?)".into());
        }
    }
    Err("the namespace holder did not start".into())
}
