//! The browser tests' harness: a fresh `rolemap serve --demo` and chromedriver per scenario, one
//! browser at a time, screenshots and failure pages kept under `target/test-artifacts/browser/`.

use std::fs::{self, File};
use std::future::Future;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
pub(crate) const MISSING: &str =
    "chromium/chromedriver not installed (apt-get install chromium chromium-driver)";

/// How long one wait for something on a page may take.
pub(crate) const WAIT: Duration = Duration::from_secs(10);
/// How long one whole scenario may take, browser start-up excluded.
pub(crate) const SCENARIO: Duration = Duration::from_secs(45);
/// How long the server and chromedriver may take to answer after they are started.
pub(crate) const START: Duration = Duration::from_secs(20);

/// One browser at a time: two cores run Chromium, the server and the other tests.
pub(crate) static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// Whether CI runs this (`CI` set to anything but empty, `false` or `0`).
pub(crate) fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

pub(crate) fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
}

/// Where screenshots and PDFs go: `<workspace>/target/test-artifacts/browser/`.
pub(crate) fn artifacts() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.ancestors().nth(2).unwrap_or(manifest);
    workspace.join("target/test-artifacts/browser")
}

/// Runs one scenario against a fresh server and browser; skips (or, under CI, fails) without a
/// browser; fails with the scenario's error, the page's address and the server's log.
pub(crate) fn browser_test<F, Fut>(name: &'static str, scenario: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    browser_test_on(name, |_| {}, scenario);
}

/// The demo user a scenario signs in as unless it says otherwise: the administrator, at the head
/// of the demo team.
pub(crate) const DEMO_ADMIN: &str = "grace";

/// As [`browser_test`], with `prepare` run on the test's directory (its database is `b.db`)
/// before the server starts.
pub(crate) fn browser_test_on<F, Fut>(name: &'static str, prepare: impl FnOnce(&Path), scenario: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    browser_test_as(name, Some(DEMO_ADMIN), prepare, scenario);
}

/// As [`browser_test_on`], signed in through the sign-in page as the demo user `user` (password
/// `DEMO_PASSWORD`) before the scenario starts, or with `None` not signed in.
pub(crate) fn browser_test_as<F, Fut>(
    name: &'static str,
    user: Option<&'static str>,
    prepare: impl FnOnce(&Path),
    scenario: F,
) where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    let Some(driver_bin) = chromedriver().filter(|_| Path::new(CHROMIUM).is_file()) else {
        assert!(
            !in_ci(),
            "{MISSING}, and CI is set: there the browser tests must run, not skip"
        );
        println!("skipped: {MISSING}");
        return;
    };
    let _one = ONE_BROWSER.lock().unwrap_or_else(PoisonError::into_inner);
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::create_dir_all(artifacts()).expect("create target/test-artifacts/browser");
    for stale in ["png", "html"] {
        let _ = fs::remove_file(artifacts().join(format!("{name}-failure.{stale}")));
    }

    prepare(dir.path());
    let server = Server::start(dir.path());
    let driver = Driver::start(&driver_bin, dir.path());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let profile = dir.path().join("chromium-profile");
    let outcome: Result<(), String> = runtime.block_on(async {
        let client = connect(driver.port, &profile)
            .await
            .map_err(|e| format!("{e:#}\n-- chromedriver log --\n{}", driver.log()))?;
        let browser = Browser {
            client: client.clone(),
            base: format!("http://127.0.0.1:{}", server.port),
        };
        let signed_in = match user {
            Some(user) => tokio::time::timeout(SCENARIO, browser.sign_in(user))
                .await
                .map_err(|_| format!("signing in as {user} took longer than {SCENARIO:?}"))
                .and_then(|signed| signed.map_err(|e| format!("sign in as {user}: {e:#}"))),
            None => Ok(()),
        };
        let result = match signed_in {
            Err(e) => Err(e),
            Ok(()) => {
                let run = tokio::spawn(tokio::time::timeout(SCENARIO, scenario(browser)));
                match run.await {
                    Ok(Ok(Ok(()))) => Ok(()),
                    Ok(Ok(Err(e))) => Err(format!("{e:#}")),
                    Ok(Err(_)) => Err(format!("the scenario took longer than {SCENARIO:?}")),
                    Err(e) if e.is_panic() => Err(panic_text(e.into_panic())),
                    Err(e) => Err(e.to_string()),
                }
            }
        };
        let result = match result {
            Ok(()) => Ok(()),
            Err(e) => Err(format!("{e}\n{}", keep_failure(&client, name).await)),
        };
        // Closing the session ends Chromium; the guards kill whatever is left.
        let _ = client.close().await;
        result
    });
    println!(
        "browser test {name}: {:.1} s; artefacts in {}",
        started.elapsed().as_secs_f64(),
        artifacts().display()
    );
    if let Err(message) = outcome {
        panic!(
            "browser test {name} failed: {message}\n-- server log (last lines) --\n{}",
            server.log()
        );
    }
}

pub(crate) fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "the scenario panicked".to_owned())
}

/// Saves the page as it was when the scenario failed; says where, and at which address.
pub(crate) async fn keep_failure(client: &Client, name: &str) -> String {
    let url = client
        .current_url()
        .await
        .map_or_else(|e| format!("(unknown: {e})"), |u| u.to_string());
    let dir = artifacts();
    if let Ok(png) = client.screenshot().await {
        let _ = fs::write(dir.join(format!("{name}-failure.png")), png);
    }
    if let Ok(html) = client.source().await {
        let _ = fs::write(dir.join(format!("{name}-failure.html")), html);
    }
    format!(
        "page: {url}; its screenshot and HTML: {}",
        dir.join(format!("{name}-failure.{{png,html}}")).display()
    )
}

pub(crate) async fn connect(port: u16, profile: &Path) -> Result<Client> {
    let mut capabilities = Capabilities::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1600",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .context("start a Chromium session through chromedriver")
}

/// The page under test.
#[derive(Debug)]
pub(crate) struct Browser {
    pub(crate) client: Client,
    pub(crate) base: String,
}

impl Browser {
    /// Signs in through the sign-in page as a demo user and waits for the home page.
    pub(crate) async fn sign_in(&self, user: &str) -> Result<()> {
        self.goto("/login?next=/").await?;
        self.by_label("Username").await?.send_keys(user).await?;
        self.by_label("Password")
            .await?
            .send_keys(rolemap_service::DEMO_PASSWORD)
            .await?;
        self.find(
            "the sign-in button",
            Locator::XPath("//form[@action='/login']//button"),
        )
        .await?
        .click()
        .await?;
        self.wait_js(
            &format!("{user} signed in"),
            "return (location.pathname === '/' && document.querySelector('.site-header .account form')) ? true : null",
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn goto(&self, path: &str) -> Result<()> {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .with_context(|| format!("open {path}"))
    }

    pub(crate) async fn find(
        &self,
        what: &str,
        locator: Locator<'_>,
    ) -> Result<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(locator)
            .await
            .with_context(|| format!("find {what}"))
    }

    /// The form control the first `<label>` with exactly this text (ignoring markup and spacing)
    /// is for.
    pub(crate) async fn by_label(&self, text: &str) -> Result<fantoccini::elements::Element> {
        let label = self
            .find(
                &format!("the label {text:?}"),
                Locator::XPath(&format!(
                    "//label[normalize-space(.) = {}]",
                    xpath_literal(text)
                )),
            )
            .await?;
        let id = label
            .attr("for")
            .await?
            .with_context(|| format!("the label {text:?} has no `for`"))?;
        self.client
            .find(Locator::Id(&id))
            .await
            .with_context(|| format!("the control #{id} of the label {text:?}"))
    }

    /// Runs a script (a function body; `return` gives the value).
    pub(crate) async fn js(&self, script: &str) -> Result<Value> {
        self.client
            .execute(script, Vec::new())
            .await
            .with_context(|| format!("run the script\n{script}"))
    }

    /// Runs a script until it returns something other than null, false, 0 or "".
    pub(crate) async fn wait_js(&self, what: &str, script: &str) -> Result<Value> {
        self.wait_js_with(what, script, Vec::new()).await
    }

    pub(crate) async fn wait_js_with(
        &self,
        what: &str,
        script: &str,
        args: Vec<Value>,
    ) -> Result<Value> {
        let until = Instant::now() + WAIT;
        loop {
            let value = self
                .client
                .execute(script, args.clone())
                .await
                .with_context(|| format!("wait for {what}"))?;
            let empty = match &value {
                Value::Null => true,
                Value::Bool(b) => !b,
                Value::Number(n) => n.as_f64() == Some(0.0),
                Value::String(s) => s.is_empty(),
                _ => false,
            };
            if !empty {
                return Ok(value);
            }
            if Instant::now() > until {
                bail!("waited {WAIT:?} for {what}, in vain");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Lets the page lay itself out again after the window changed size.
    pub(crate) async fn settle(&self) {
        let _ = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                Vec::new(),
            )
            .await;
    }

    /// A screenshot of the whole page at the window's width, saved as `<name>.png`.
    pub(crate) async fn screenshot(&self, name: &str) -> Result<()> {
        let (width, height) = self.client.get_window_size().await?;
        let sizes = self
            .js("return [document.documentElement.scrollHeight, window.innerHeight]")
            .await?;
        let (page, viewport) = (
            sizes[0].as_u64().unwrap_or(height),
            sizes[1].as_u64().unwrap_or(height),
        );
        // The window is taller than its viewport by the browser's own frame.
        let tall = (height.saturating_sub(viewport) + page).clamp(height, 8000);
        let (width, height) = (u32::try_from(width)?, u32::try_from(height)?);
        self.client
            .set_window_size(width, u32::try_from(tall)?)
            .await?;
        self.settle().await;
        let png = self.client.screenshot().await;
        self.client.set_window_size(width, height).await?;
        self.settle().await;
        self.save_png(name, &png.context("take a screenshot")?)
    }

    pub(crate) fn save_png(&self, name: &str, png: &[u8]) -> Result<()> {
        self.save(&format!("{name}.png"), png)
    }

    pub(crate) fn save(&self, file: &str, bytes: &[u8]) -> Result<()> {
        let path = artifacts().join(file);
        fs::write(&path, bytes).with_context(|| format!("write {}", path.display()))
    }
}

/// A string as an XPath 1.0 literal.
pub(crate) fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

// ---------------------------------------------------------------------------------------------
// The processes

/// A free port on the loopback interface (free when asked; the OS could reuse it, rarely).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// A plain HTTP/1.1 GET on the loopback interface: the status and the body, or None. Reads up to
/// the end of the stream or `Content-Length`, whichever comes first (chromedriver keeps the
/// connection open).
pub(crate) fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    let mut buf = [0_u8; 8192];
    loop {
        let n = stream.read(&mut buf).ok()?;
        response.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&response);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            });
            if n == 0 || length.is_some_and(|len| body.len() >= len) {
                let status = head.split(' ').nth(1)?.parse().ok()?;
                return Some((status, body.to_owned()));
            }
        }
        if n == 0 {
            return None;
        }
    }
}

/// A child process with its output in a log file; killed (with its process group) on drop.
#[derive(Debug)]
pub(crate) struct Process {
    child: Child,
    log: PathBuf,
    port: u16,
}

impl Process {
    fn spawn(mut command: Command, log: PathBuf, port: u16) -> Process {
        let out = File::create(&log).expect("create a log file");
        let err = out.try_clone().expect("clone the log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            // Its own process group, so that what it starts (Chromium) is killed with it.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
        Process { child, log, port }
    }

    /// The last lines of the log.
    fn log(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Waits until GET `path` answers 200 with a body containing `needle`.
    fn wait_ready(&mut self, what: &str, path: &str, needle: &str) {
        let until = Instant::now() + START;
        loop {
            if let Some((200, body)) = http_get(self.port, path)
                && body.contains(needle)
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{what} exited ({status}) before answering:\n{}", self.log());
            }
            assert!(
                Instant::now() < until,
                "{what} did not answer {path} within {START:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let group = format!("-{}", self.child.id());
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &group])
                .stderr(Stdio::null())
                .status();
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// `rolemap --db DIR/b.db serve --demo --addr 127.0.0.1:PORT`, answering /healthz.
#[derive(Debug)]
pub(crate) struct Server(Process);

impl Server {
    fn start(dir: &Path) -> Server {
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_rolemap"));
        command
            .arg("--db")
            .arg(dir.join("b.db"))
            .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
            .env_remove("ROLEMAP_DB")
            .env_remove("ROLEMAP_ADDR")
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1");
        let mut process = Process::spawn(command, dir.join("server.log"), port);
        process.wait_ready("the rolemap server", "/healthz", "");
        Server(process)
    }
}

impl std::ops::Deref for Server {
    type Target = Process;
    fn deref(&self) -> &Process {
        &self.0
    }
}

/// `chromedriver --port=PORT`, ready for a session.
#[derive(Debug)]
pub(crate) struct Driver(Process);

impl Driver {
    fn start(bin: &Path, dir: &Path) -> Driver {
        let port = free_port();
        let mut command = Command::new(bin);
        command.arg(format!("--port={port}"));
        let mut process = Process::spawn(command, dir.join("chromedriver.log"), port);
        process.wait_ready("chromedriver", "/status", "\"ready\":true");
        Driver(process)
    }
}

impl std::ops::Deref for Driver {
    type Target = Process;
    fn deref(&self) -> &Process {
        &self.0
    }
}
