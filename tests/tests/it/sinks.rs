//! What the outbox's tests send to: an SMTP server and an HTTP receiver, both started by the
//! test itself on a free local port. The SMTP sink records a message only once it has answered
//! `250` to it, as a real server takes responsibility for it; it can refuse messages (`451`) or
//! hold one unanswered, so that a test can kill the sender mid-send.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::Notify;

/// One message the sink accepted: its headers and text, unfolded.
#[derive(Debug, Clone)]
pub struct Received {
    pub raw: String,
}

impl Received {
    /// A header's value (the first one with that name).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.raw.split("\n\n").next().unwrap_or("");
        // Folded headers continue on lines starting with a space.
        let unfolded = head.replace("\n ", " ").replace("\n\t", " ");
        unfolded.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }

    /// The text, with quoted-printable soft breaks and escapes undone.
    pub fn text(&self) -> String {
        let body = self.raw.split_once("\n\n").map_or("", |(_, b)| b);
        let joined = body.replace("=\n", "");
        let mut out = Vec::new();
        let bytes = joined.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'='
                && i + 2 < bytes.len()
                && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
            {
                out.push(b);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The subject, decoded from RFC 2047 encoded words if needed.
    pub fn subject(&self) -> String {
        decode_words(&self.header("Subject").unwrap_or_default())
    }
}

/// Decodes `=?utf-8?b?...?=` and `=?utf-8?q?...?=` words, enough for lettre's subjects.
fn decode_words(s: &str) -> String {
    let mut out = String::new();
    for word in s.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        if lower.starts_with("=?utf-8?b?") && word.ends_with("?=") {
            let b64 = &word[10..word.len() - 2];
            out.push_str(&String::from_utf8_lossy(&base64_decode(b64)));
        } else if lower.starts_with("=?utf-8?q?") && word.ends_with("?=") {
            let q = word[10..word.len() - 2].replace('_', " ");
            out.push_str(
                &Received {
                    raw: format!("\n\n{q}"),
                }
                .text(),
            );
        } else {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

fn base64_decode(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let Some(v) = A.iter().position(|a| *a == c) else {
            continue;
        };
        bits = (bits << 6) | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

#[derive(Default)]
struct SinkState {
    accepted: Vec<Received>,
    /// How many of the next messages to refuse with `451`.
    refuse: usize,
    /// Hold the next message unanswered until released.
    hold_next: bool,
    /// Whether a message is being held now.
    holding: bool,
}

/// A fake SMTP server.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    state: Arc<Mutex<SinkState>>,
    release: Arc<Notify>,
    changed: Arc<Notify>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = Self {
            port: listener.local_addr().unwrap().port(),
            state: Arc::default(),
            release: Arc::new(Notify::new()),
            changed: Arc::new(Notify::new()),
        };
        let s = sink.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move { s.serve(socket).await });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    async fn serve(&self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        if write.write_all(b"220 sink\r\n").await.is_err() {
            return;
        }
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            let answer: &[u8] = match verb.as_str() {
                "DATA" => {
                    if write.write_all(b"354 go on\r\n").await.is_err() {
                        return;
                    }
                    let mut raw = String::new();
                    loop {
                        match lines.next_line().await {
                            Ok(Some(l)) if l == "." => break,
                            Ok(Some(l)) => {
                                raw.push_str(l.strip_prefix('.').unwrap_or(&l));
                                raw.push('\n');
                            }
                            _ => return,
                        }
                    }
                    let (refuse, hold) = {
                        let mut st = self.state.lock().unwrap();
                        let refuse = st.refuse > 0;
                        if refuse {
                            st.refuse -= 1;
                        }
                        let hold = !refuse && st.hold_next;
                        if hold {
                            st.hold_next = false;
                            st.holding = true;
                        }
                        (refuse, hold)
                    };
                    self.changed.notify_waiters();
                    if refuse {
                        b"451 try again later\r\n"
                    } else {
                        if hold {
                            self.release.notified().await;
                            self.state.lock().unwrap().holding = false;
                            // A sender that died while held reads as the end of its
                            // connection: it never heard the answer, so nothing was accepted.
                            match tokio::time::timeout(
                                Duration::from_millis(200),
                                lines.next_line(),
                            )
                            .await
                            {
                                Err(_) => {}
                                Ok(_) => return,
                            }
                        }
                        // Accepted only if the client is still there to hear it.
                        if write.write_all(b"250 queued\r\n").await.is_err() {
                            return;
                        }
                        self.state.lock().unwrap().accepted.push(Received { raw });
                        self.changed.notify_waiters();
                        continue;
                    }
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                _ => b"250 ok\r\n",
            };
            if write.write_all(answer).await.is_err() {
                return;
            }
        }
    }

    /// Refuses the next `n` messages with a temporary failure.
    pub fn refuse_next(&self, n: usize) {
        self.state.lock().unwrap().refuse = n;
    }

    /// Holds the next message unanswered until `release`.
    pub fn hold_next(&self) {
        self.state.lock().unwrap().hold_next = true;
    }

    pub fn release(&self) {
        self.release.notify_waiters();
    }

    pub fn holding(&self) -> bool {
        self.state.lock().unwrap().holding
    }

    pub fn accepted(&self) -> Vec<Received> {
        self.state.lock().unwrap().accepted.clone()
    }

    /// Waits until `done` holds of the sink, or panics after `within`.
    pub async fn wait(&self, within: Duration, what: &str, done: impl Fn(&SmtpSink) -> bool) {
        let deadline = tokio::time::Instant::now() + within;
        while !done(self) {
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "the SMTP sink never saw {what}; accepted: {:#?}",
                    self.accepted()
                );
            }
            let _ = tokio::time::timeout(Duration::from_millis(100), self.changed.notified()).await;
        }
    }
}

/// One HTTP request a receiver got.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A fake webhook receiver: records every request and answers with the status given.
#[derive(Clone)]
pub struct Receiver {
    pub port: u16,
    hits: Arc<Mutex<Vec<Hit>>>,
    status: Arc<Mutex<u16>>,
    /// Extra header lines in each answer (a `Location` for a redirect).
    extra: Arc<Mutex<String>>,
}

impl Receiver {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let r = Self {
            port: listener.local_addr().unwrap().port(),
            hits: Arc::default(),
            status: Arc::new(Mutex::new(200)),
            extra: Arc::default(),
        };
        let me = r.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let me = me.clone();
                tokio::spawn(async move { me.serve(socket).await });
            }
        });
        r
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn answer(&self, status: u16, extra: &str) {
        *self.status.lock().unwrap() = status;
        *self.extra.lock().unwrap() = extra.to_owned();
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    async fn serve(&self, socket: tokio::net::TcpStream) {
        let mut reader = BufReader::new(socket);
        loop {
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).await.unwrap_or(0) == 0 {
                return;
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .to_owned();
            let mut headers = Vec::new();
            loop {
                let mut l = String::new();
                if reader.read_line(&mut l).await.unwrap_or(0) == 0 {
                    return;
                }
                let l = l.trim_end();
                if l.is_empty() {
                    break;
                }
                if let Some((n, v)) = l.split_once(':') {
                    headers.push((n.trim().to_owned(), v.trim().to_owned()));
                }
            }
            let len: usize = headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            if reader.read_exact(&mut body).await.is_err() {
                return;
            }
            self.hits.lock().unwrap().push(Hit {
                path,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            let status = *self.status.lock().unwrap();
            let extra = self.extra.lock().unwrap().clone();
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: 0\r\n{extra}connection: keep-alive\r\n\r\n"
            );
            if reader.get_mut().write_all(answer.as_bytes()).await.is_err() {
                return;
            }
        }
    }
}
