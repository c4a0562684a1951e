//! A small W3C WebDriver client for tauri-driver (which starts
//! WebKitWebDriver), and the processes the tests need: Xvfb and the driver,
//! each in its own process group and stopped when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Every WebDriver call gives up after a minute, so a stuck app fails the
/// test instead of hanging it.
fn http() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .build()
}

/// A child process killed (with its group) on drop.
pub struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &format!("-{}", self.0.id())])
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(cmd: &mut Command) -> Proc {
    use std::os::unix::process::CommandExt;
    // Never share the test's standard input: the driver and the browser
    // would read from whatever feeds the test runner.
    cmd.process_group(0).stdin(Stdio::null());
    Proc(
        cmd.spawn()
            .unwrap_or_else(|e| panic!("could not start {cmd:?}: {e}")),
    )
}

/// Starts Xvfb on a free display unless one is set; returns it and the
/// display name.
pub fn display() -> (Option<Proc>, String) {
    if let Ok(d) = std::env::var("DISPLAY")
        && !d.is_empty()
    {
        return (None, d);
    }
    // A display nobody holds: Xvfb leaves a lock file per display.
    let n = (90..200)
        .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())
        .unwrap_or(99);
    let name = format!(":{n}");
    let p = spawn(
        Command::new("Xvfb")
            .args([&name, "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    std::thread::sleep(Duration::from_millis(800));
    (Some(p), name)
}

pub struct Driver {
    _proc: Proc,
    base: String,
    session: String,
}

impl Driver {
    /// Starts tauri-driver for the app with these environment variables,
    /// and opens a session.
    pub fn start(app: &Path, display: &str, env: &[(&str, &Path)]) -> Driver {
        let (port, native) = free_ports();
        let mut cmd = Command::new(driver_path());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("DISPLAY", display);
        // The driver's and the app's output, for when a run goes wrong.
        let log_dir = screenshots_dir();
        let _ = std::fs::create_dir_all(&log_dir);
        match std::fs::File::create(log_dir.join(format!("driver-{port}.log"))) {
            Ok(f) => {
                let f2 = f.try_clone().ok();
                cmd.stdout(f);
                cmd.stderr(f2.map_or_else(Stdio::null, Stdio::from));
            }
            Err(_) => {
                cmd.stdout(Stdio::null()).stderr(Stdio::null());
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut proc = spawn(&mut cmd);
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let caps =
            json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": app}}}});
        let session = loop {
            match http()
                .post(&format!("{base}/session"))
                .send_json(caps.clone())
            {
                Ok(r) => {
                    let v: Value = r.into_json().unwrap();
                    break v["value"]["sessionId"].as_str().unwrap().to_string();
                }
                Err(e) if Instant::now() < deadline => {
                    if let Ok(Some(status)) = proc.0.try_wait() {
                        panic!("tauri-driver exited ({status}) before a session: {e}");
                    }
                    std::thread::sleep(Duration::from_millis(300));
                }
                Err(e) => panic!("tauri-driver did not start a session: {e}"),
            }
        };
        let d = Driver {
            _proc: proc,
            base,
            session,
        };
        d.cmd(
            "POST",
            "window/rect",
            json!({"width": 1366, "height": 768, "x": 0, "y": 0}),
        );
        d
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}/{path}", self.base, self.session);
        let r = match method {
            "GET" => http().get(&url).call(),
            "DELETE" => http().delete(&url).call(),
            _ => http().post(&url).send_json(body),
        };
        match r {
            Ok(r) => r.into_json::<Value>().unwrap()["value"].clone(),
            Err(ureq::Error::Status(_, r)) => {
                let v: Value = r.into_json().unwrap_or(Value::Null);
                json!({"error": v["value"].clone()})
            }
            Err(e) => panic!("webdriver {path}: {e}; page: {}", self.page_text_raw()),
        }
    }

    fn try_find(&self, css: &str) -> Option<String> {
        let v = self.cmd(
            "POST",
            "element",
            json!({"using": "css selector", "value": css}),
        );
        v[ELEMENT].as_str().map(str::to_string)
    }

    /// Waits up to 15 s for an element.
    pub fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(e) = self.try_find(css) {
                return e;
            }
            assert!(
                Instant::now() < deadline,
                "no element matches {css}; page text: {}",
                self.page_text()
            );
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    pub fn exists(&self, css: &str) -> bool {
        self.try_find(css).is_some()
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("element/{e}/click"), json!({}));
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("element/{e}/clear"), json!({}));
        self.cmd("POST", &format!("element/{e}/value"), json!({"text": text}));
    }

    pub fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.cmd("GET", &format!("element/{e}/text"), Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn page_text_raw(&self) -> String {
        let url = format!("{}/session/{}/execute/sync", self.base, self.session);
        http()
            .post(&url)
            .send_json(json!({"script": "return document.body.innerText", "args": []}))
            .ok()
            .and_then(|r| r.into_json::<Value>().ok())
            .map(|v| v["value"].to_string())
            .unwrap_or_default()
    }

    pub fn page_text(&self) -> String {
        self.script(
            "return document.body ? document.body.innerText : ''",
            json!([]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Waits until the page shows `needle`.
    pub fn wait_for_text(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.page_text().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "the page never showed {needle:?}; it shows: {}",
                self.page_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn script(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "execute/sync",
            json!({"script": script, "args": args}),
        )
    }

    /// Calls an app command the way the UI does (for set-up steps that are
    /// not what a test is about).
    pub fn invoke(&self, cmd: &str, args: Value) -> Value {
        let v = self.cmd(
            "POST",
            "execute/async",
            json!({
                "script": "const done = arguments[arguments.length - 1];
                    window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
                      .then(v => done({ok: v}), e => done({err: e}));",
                "args": [cmd, args]
            }),
        );
        assert!(v.get("err").is_none(), "{cmd} failed: {v}");
        v["ok"].clone()
    }

    pub fn screenshot(&self, name: &str) {
        use base64::Engine;
        let png = self.cmd("GET", "screenshot", Value::Null);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap_or_default())
            .unwrap_or_default();
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), bytes).unwrap();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Closing the app must not hold the test up: the driver is killed next.
        let _ = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(10))
            .build()
            .delete(&format!("{}/session/{}", self.base, self.session))
            .call();
    }
}

/// Two distinct TCP ports free right now on the loopback interface (both
/// are held while the second is chosen).
fn free_ports() -> (u16, u16) {
    let bind = || std::net::TcpListener::bind("127.0.0.1:0");
    let (a, b) = (bind().unwrap(), bind().unwrap());
    (
        a.local_addr().unwrap().port(),
        b.local_addr().unwrap().port(),
    )
}

pub fn screenshots_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
}

fn driver_path() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return p.into();
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let p = home.join("bin/tauri-driver");
    if p.exists() { p } else { "tauri-driver".into() }
}
