//! A real SMTP server in the test process (mailin-embedded on 127.0.0.1), collecting what it
//! receives, and the mail worker pointed at it.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gongjue_api::mail::settings::{MailArgs, MailFile, MailSettings};
use gongjue_api::mail::worker::Worker;
use gongjue_store::Store;
use mailin_embedded::{Handler, Response, Server, response};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub raw: Vec<u8>,
}

impl Received {
    fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.raw).expect("a parsable message")
    }

    pub fn header(&self, name: &str) -> String {
        self.parsed()
            .headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case(name))
            .map(|h| h.get_value())
            .unwrap_or_default()
    }

    pub fn subject(&self) -> String {
        self.header("Subject")
    }

    /// The decoded body of the part with this MIME type.
    pub fn part(&self, mime: &str) -> String {
        fn find(part: &mailparse::ParsedMail<'_>, mime: &str) -> Option<String> {
            if part.ctype.mimetype == mime {
                return part.get_body().ok();
            }
            part.subparts.iter().find_map(|p| find(p, mime))
        }
        find(&self.parsed(), mime).unwrap_or_default()
    }

    pub fn text(&self) -> String {
        self.part("text/plain")
    }

    pub fn html(&self) -> String {
        self.part("text/html")
    }
}

/// Refuses recipients at `refused.example.org` permanently (550), accepts everything else.
#[derive(Clone)]
struct Sink {
    inbox: Arc<Mutex<Vec<Received>>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Sink {
    fn rcpt(&mut self, to: &str) -> Response {
        if to.ends_with("@refused.example.org") {
            response::NO_MAILBOX
        } else {
            response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let received = Received {
            to: std::mem::take(&mut self.to),
            raw: std::mem::take(&mut self.data),
        };
        self.inbox.lock().expect("inbox").push(received);
        response::OK
    }
}

#[derive(Clone)]
pub struct Inbox(Arc<Mutex<Vec<Received>>>);

impl Inbox {
    pub fn all(&self) -> Vec<Received> {
        self.0.lock().expect("inbox").clone()
    }

    /// Messages to `address`.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.all()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }

    /// Waits (generously) until `done` holds for what arrived, and returns it.
    pub async fn until(&self, what: &str, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        eventually(what, || {
            let all = self.all();
            done(&all).then_some(all)
        })
        .await
    }
}

/// Polls `f` until it gives a value; fails the test after 30 s (never passes on a timeout).
pub async fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(value) = f() {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts an SMTP server on `listener` on a detached thread (its `serve()` never returns).
pub fn start_smtp(listener: TcpListener) -> Inbox {
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let mut server = Server::new(Sink {
        inbox: inbox.clone(),
        to: Vec::new(),
        data: Vec::new(),
    });
    server
        .with_name("sink.test")
        .with_num_threads(2)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    Inbox(inbox)
}

/// A port on 127.0.0.1 where nothing listens (yet).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("binding")
        .local_addr()
        .expect("address")
        .port()
}

/// Mail settings for an SMTP server on 127.0.0.1:`port`, timed for tests: quick polls and
/// retries, so that outcomes come fast; tests wait for outcomes, never for fixed times.
pub fn smtp_settings(port: u16) -> MailSettings {
    let args = MailArgs {
        mail_transport: Some("smtp".into()),
        smtp_host: Some("127.0.0.1".into()),
        smtp_port: Some(port),
        smtp_tls: Some("none".into()),
        mail_from: Some("湖畔花园业主大会 <notice@lakeside.example.org>".into()),
        ..MailArgs::default()
    };
    fast(
        args.resolve(MailFile::default(), None)
            .expect("mail settings"),
    )
}

pub fn fast(mut settings: MailSettings) -> MailSettings {
    settings.timing.poll = Duration::from_millis(50);
    settings.timing.retry_first = Duration::from_millis(200);
    settings.timing.retry_max = Duration::from_millis(400);
    settings.timing.lease = Duration::from_secs(60);
    if let gongjue_api::mail::settings::TransportSettings::Smtp(smtp) = &mut settings.transport {
        smtp.timeout = Duration::from_secs(10);
    }
    settings
}

/// Starts the outbox worker on the test's runtime; it stops with the test, or when aborted
/// (as a killed server would stop it).
pub fn start_worker(store: &Store, settings: &MailSettings) -> tokio::task::JoinHandle<()> {
    let worker = Worker::new(store.clone(), settings).expect("mail worker");
    tokio::spawn(worker.run())
}
