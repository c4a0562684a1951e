//! What the end-to-end test needs besides WebDriver: processes it starts and
//! ends itself, and one way to wait for a state.
//!
//! Every process is started in a process group of its own and ended by a
//! signal to that group through a syscall (`killpg`), never through a `kill`
//! command: Debian's procps `kill -TERM -PGID` is not a group kill and can
//! become kill(-1), which ends every process of the user.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::Pid;

/// Polls `probe` until it gives a value, and panics after `timeout` with
/// what was awaited and what `state` says about the moment it gave up.
pub fn wait_until<T>(
    what: &str,
    timeout: Duration,
    mut probe: impl FnMut() -> Option<T>,
    state: impl Fn() -> String,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = probe() {
            return v;
        }
        if Instant::now() >= deadline {
            panic!("waited {timeout:?} for {what}; {}", state());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A child process that leads its own process group; dropping it ends the
/// whole group and reaps the leader.
pub struct Proc {
    child: Child,
    group: Pid,
}

impl Proc {
    /// Starts `cmd` as the leader of a new process group, with no standard
    /// input: the driver and the browser must never read what feeds the
    /// test runner.
    pub fn spawn(cmd: &mut Command) -> Proc {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0).stdin(Stdio::null());
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {cmd:?}: {e}"));
        let group = Pid::from_raw(i32::try_from(child.id()).expect("pid fits in i32"));
        Proc { child, group }
    }

    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Whether the leader has exited. It is not reaped here: while its
    /// zombie exists, its pid (the group's id) cannot be given to another
    /// process, so the group signal in `drop` can only reach this group.
    pub fn has_exited(&self) -> bool {
        let peek = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
        // An error means there is no such child left to wait for.
        !matches!(
            waitid(Id::Pid(self.group), peek),
            Ok(WaitStatus::StillAlive)
        )
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // TERM first so the driver can close its browser; KILL whatever of
        // the group is left after a grace period. The leader is reaped last.
        let _ = killpg(self.group, Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.has_exited() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = killpg(self.group, Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::CommandExt;

    /// Whether `pid` still runs: gone and zombie (ended, not yet reaped by
    /// its new parent) both count as ended.
    fn running(pid: i32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => {
                // The state follows the parenthesised command name.
                let state = stat.rsplit(')').next().unwrap_or("").trim_start();
                !state.starts_with('Z') && !state.starts_with('X')
            }
            Err(_) => false,
        }
    }

    fn wait_ended(pid: i32) {
        wait_until(
            &format!("pid {pid} to end with its group"),
            Duration::from_secs(10),
            || (!running(pid)).then_some(()),
            || format!("pid {pid} still runs"),
        );
    }

    /// A process group whose leader started a grandchild and reports its
    /// pid on the first line of its output.
    fn group_with_grandchild(script: &str) -> (Proc, i32) {
        let mut p = Proc::spawn(
            Command::new("sh")
                .args(["-c", script])
                .stdout(Stdio::piped()),
        );
        let out = p.child_mut().stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(out).read_line(&mut line).unwrap();
        let grandchild: i32 = line.trim().parse().unwrap();
        assert!(running(grandchild));
        (p, grandchild)
    }

    #[test]
    fn ending_a_group_spares_every_process_outside_it() {
        // The sentinel: started by the test, but in a group of its own.
        let mut sentinel = Command::new("sleep")
            .arg("120")
            .process_group(0)
            .spawn()
            .unwrap();
        let sentinel_pid = i32::try_from(sentinel.id()).unwrap();

        let (p, grandchild) = group_with_grandchild("sleep 120 & echo $!; wait");
        drop(p);
        wait_ended(grandchild);
        assert!(
            running(sentinel_pid),
            "the sentinel outside the group was ended"
        );
        assert!(
            running(std::process::id() as i32),
            "the test runner itself was ended"
        );
        sentinel.kill().unwrap();
        sentinel.wait().unwrap();
    }

    /// Regression: a leader that has already exited leaves its group
    /// behind (tauri-driver's browser, say); the group is still ended.
    #[test]
    fn a_group_whose_leader_exited_is_still_ended() {
        let (p, grandchild) = group_with_grandchild("sleep 120 & echo $!");
        wait_until(
            "the leader to exit",
            Duration::from_secs(10),
            || p.has_exited().then_some(()),
            String::new,
        );
        assert!(running(grandchild));
        drop(p);
        wait_ended(grandchild);
    }
}
