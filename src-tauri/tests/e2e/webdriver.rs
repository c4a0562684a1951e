//! A small W3C WebDriver client for tauri-driver (which starts
//! WebKitWebDriver), and the processes the test needs: Xvfb and the driver,
//! each in its own process group and ended with it when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::util::{Proc, wait_until};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long a step waits for the state it needs. Generous: WebKit on a
/// loaded 2-core machine can take seconds to render.
pub const WAIT: Duration = Duration::from_secs(30);

/// Every WebDriver call gives up after a minute, so a stuck app fails the
/// test instead of hanging it.
fn http() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .build()
}

/// Starts Xvfb on a display it chooses itself unless one is set; returns
/// it and the display name. `-displayfd` makes Xvfb write the display's
/// number once it accepts clients, so nothing races its start.
pub fn display() -> (Option<Proc>, String) {
    if let Ok(d) = std::env::var("DISPLAY")
        && !d.is_empty()
    {
        return (None, d);
    }
    let mut xvfb = Proc::spawn(
        Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1366x768x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    );
    let out = xvfb
        .child_mut()
        .stdout
        .take()
        .expect("Xvfb's output is piped");
    let mut line = String::new();
    BufReader::new(out)
        .read_line(&mut line)
        .expect("Xvfb reports its display");
    let n: u32 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("Xvfb did not report a display: {line:?}"));
    (Some(xvfb), format!(":{n}"))
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
        let proc = Proc::spawn(&mut cmd);
        let base = format!("http://127.0.0.1:{port}");
        let caps =
            json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": app}}}});
        let mut last_error = String::new();
        let session = wait_until(
            "tauri-driver to open a session",
            Duration::from_secs(30),
            || {
                assert!(
                    !proc.has_exited(),
                    "tauri-driver exited before a session: {last_error}"
                );
                match http()
                    .post(&format!("{base}/session"))
                    .send_json(caps.clone())
                {
                    Ok(r) => {
                        let v: Value = r.into_json().ok()?;
                        v["value"]["sessionId"].as_str().map(str::to_string)
                    }
                    Err(e) => {
                        last_error = e.to_string();
                        None
                    }
                }
            },
            || "see the driver's log beside the screenshots".to_string(),
        );
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

    /// Resizes the window to `width`×`height` and waits until the page
    /// has that viewport (the window has no frame under Xvfb).
    pub fn set_window(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "window/rect",
            json!({"width": width, "height": height, "x": 0, "y": 0}),
        );
        wait_until(
            &format!("a {width}×{height} viewport"),
            WAIT,
            || {
                let size = self.script("return [innerWidth, innerHeight]", json!([]));
                (size == json!([width, height])).then_some(())
            },
            || {
                let size = self.script("return [innerWidth, innerHeight]", json!([]));
                format!("the viewport is {size}")
            },
        );
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

    /// Waits for an element; gives its WebDriver reference.
    pub fn find(&self, css: &str) -> String {
        wait_until(
            &format!("an element matching {css}"),
            WAIT,
            || self.try_find(css),
            || format!("the page shows: {}", self.page_text()),
        )
    }

    /// Clicks an element, brought to the middle of the window first:
    /// WebKitWebDriver clicks where the element is without scrolling to
    /// it, so a Save button below the fold was clicked on nothing.
    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.script(
            "arguments[0].scrollIntoView({block: 'center'})",
            json!([{ ELEMENT: e }]),
        );
        self.cmd("POST", &format!("element/{e}/click"), json!({}));
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("element/{e}/clear"), json!({}));
        self.cmd("POST", &format!("element/{e}/value"), json!({"text": text}));
    }

    /// The text of the first element matching `css`, once it exists and its
    /// text satisfies `ready` (described by `what`). Never read text right
    /// after an action: the view updates after the command returns.
    pub fn wait_text(&self, css: &str, what: &str, ready: impl Fn(&str) -> bool) -> String {
        wait_until(
            &format!("{css} to show {what}"),
            WAIT,
            || {
                let e = self.try_find(css)?;
                let text = self.cmd("GET", &format!("element/{e}/text"), Value::Null);
                let text = text.as_str()?;
                ready(text).then(|| text.to_string())
            },
            || format!("the page shows: {}", self.page_text()),
        )
    }

    /// Waits until the element matching `css` shows exactly `expected`.
    pub fn wait_text_eq(&self, css: &str, expected: &str) {
        self.wait_text(css, &format!("{expected:?}"), |t| t == expected);
    }

    /// Waits until no element matches `css`.
    pub fn wait_gone(&self, css: &str) {
        wait_until(
            &format!("no element to match {css}"),
            WAIT,
            || self.try_find(css).is_none().then_some(()),
            || format!("the page shows: {}", self.page_text()),
        );
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
        wait_until(
            &format!("the page to show {needle:?}"),
            WAIT,
            || self.page_text().contains(needle).then_some(()),
            || format!("the page shows: {}", self.page_text()),
        );
    }

    pub fn script(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "execute/sync",
            json!({"script": script, "args": args}),
        )
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
