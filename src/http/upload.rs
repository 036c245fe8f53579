//! A request body sent while it arrives (the local proxy's large uploads): another thread feeds
//! it chunk by chunk through an [`UploadFeed`], with a bounded pipe in between, so a body of any
//! size is never held whole. It can be sent once. Its length goes out as `Content-Length` when
//! known, and the wait for the answer times out only when the body stops moving.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// Bytes queued between the feed and the client library at most.
const PIPE_BYTES: usize = 256 * 1024;

/// A streamed request body, the client library's end.
pub struct Upload {
    pipe: Arc<Pipe>,
    /// What the client library sends, until a request takes it.
    body: RefCell<Option<PipeBody>>,
}

/// The feeding end of an [`Upload`], for the thread that reads the body from its source.
pub struct UploadFeed {
    pipe: Arc<Pipe>,
    finished: bool,
}

/// A pipe of chunks, one thread feeding, the client library taking.
struct Pipe {
    state: Mutex<State>,
    /// Signalled when room is made or nobody takes any more.
    room: Condvar,
}

struct State {
    chunks: VecDeque<bytes::Bytes>,
    queued: usize,
    /// How the body ended, once it has: all fed, or why it broke off.
    end: Option<Result<(), String>>,
    /// Nobody takes any more: the request is over, or its answer came.
    closed: bool,
    /// The client library, waiting for the next chunk.
    waker: Option<Waker>,
    /// When the client library last took a chunk (or the pipe was made).
    moved: Instant,
}

/// A new streamed body of `length` bytes (if known) and its feed.
pub fn upload(length: Option<u64>) -> (Upload, UploadFeed) {
    let pipe = Arc::new(Pipe {
        state: Mutex::new(State {
            chunks: VecDeque::new(),
            queued: 0,
            end: None,
            closed: false,
            waker: None,
            moved: Instant::now(),
        }),
        room: Condvar::new(),
    });
    let body = PipeBody { pipe: Arc::clone(&pipe), length };
    (Upload { pipe: Arc::clone(&pipe), body: RefCell::new(Some(body)) }, UploadFeed { pipe, finished: false })
}

impl Pipe {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends the body (unless it has ended) and wakes both sides.
    fn end(&self, end: Result<(), String>, close: bool) {
        let mut state = self.lock();
        state.end.get_or_insert(end);
        state.closed |= close;
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
        self.room.notify_all();
    }
}

impl Upload {
    /// The body for the client library; `None` once a request has taken it.
    pub(super) fn take(&self) -> Option<reqwest::Body> {
        self.body.borrow_mut().take().map(reqwest::Body::wrap)
    }

    /// Whether a request has taken the body already.
    pub(super) fn is_taken(&self) -> bool {
        self.body.borrow().is_none()
    }

    /// How long the body has not moved.
    pub(super) fn idle(&self) -> Duration {
        self.pipe.lock().moved.elapsed()
    }

    /// The answer came: the feed is told that no more is wanted, and stops.
    pub fn stop(&self) {
        let mut state = self.pipe.lock();
        state.closed = true;
        self.pipe.room.notify_all();
    }
}

impl Drop for Upload {
    /// A body still unfinished when its request is over ends in an error, so that the client
    /// library gives up its connection instead of waiting for the rest.
    fn drop(&mut self) {
        self.pipe.end(Err("the request is over".into()), true);
    }
}

impl UploadFeed {
    /// Queues `bytes`, waiting while the pipe is full; `false` once no more is wanted.
    pub fn send(&self, bytes: &[u8]) -> bool {
        let mut state = self.pipe.lock();
        while state.queued >= PIPE_BYTES && !state.closed {
            state = self.pipe.room.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        if state.closed {
            return false;
        }
        state.queued += bytes.len();
        state.chunks.push_back(bytes::Bytes::copy_from_slice(bytes));
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
        true
    }

    /// Ends the body: all of it was fed, or reading it failed.
    pub fn finish(mut self, result: io::Result<()>) {
        self.finished = true;
        self.pipe.end(result.map_err(|e| format!("the body broke off: {e}")), false);
    }
}

impl Drop for UploadFeed {
    fn drop(&mut self) {
        if !self.finished {
            self.pipe.end(Err("the body broke off".into()), false);
        }
    }
}

/// What the client library sends: the chunks as they come.
struct PipeBody {
    pipe: Arc<Pipe>,
    length: Option<u64>,
}

impl http_body::Body for PipeBody {
    type Data = bytes::Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, io::Error>>> {
        let mut state = self.pipe.lock();
        if let Some(chunk) = state.chunks.pop_front() {
            state.queued -= chunk.len();
            state.moved = Instant::now();
            self.pipe.room.notify_all();
            return Poll::Ready(Some(Ok(http_body::Frame::data(chunk))));
        }
        match &state.end {
            Some(Ok(())) => Poll::Ready(None),
            Some(Err(reason)) => Poll::Ready(Some(Err(io::Error::other(reason.clone())))),
            None => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        let state = self.pipe.lock();
        state.chunks.is_empty() && matches!(state.end, Some(Ok(())))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.length.map_or_else(http_body::SizeHint::default, http_body::SizeHint::with_exact)
    }
}

impl Drop for PipeBody {
    fn drop(&mut self) {
        let mut state = self.pipe.lock();
        state.closed = true;
        self.pipe.room.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body as _;

    fn poll(body: &mut PipeBody) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, io::Error>>> {
        let mut cx = Context::from_waker(Waker::noop());
        Pin::new(body).poll_frame(&mut cx)
    }

    #[test]
    fn chunks_pass_in_order_and_the_end_is_told() {
        let (upload, feed) = upload(Some(6));
        let mut body = upload.body.borrow_mut().take().unwrap();
        assert_eq!(body.size_hint().exact(), Some(6));
        assert!(poll(&mut body).is_pending());
        assert!(feed.send(b"abc") && feed.send(b"def"));
        feed.finish(Ok(()));
        for want in [&b"abc"[..], b"def"] {
            let Poll::Ready(Some(Ok(frame))) = poll(&mut body) else { panic!("a chunk") };
            assert_eq!(frame.into_data().unwrap(), want);
        }
        assert!(matches!(poll(&mut body), Poll::Ready(None)));
        assert!(body.is_end_stream());
    }

    #[test]
    fn a_full_pipe_holds_the_feed_until_the_answer_stops_it() {
        let (upload, feed) = upload(None);
        let chunk = vec![0u8; PIPE_BYTES];
        let feeder = std::thread::spawn(move || (feed.send(&chunk), feed.send(&chunk)));
        std::thread::sleep(Duration::from_millis(50));
        assert!(!feeder.is_finished(), "the second chunk waits for room");
        upload.stop();
        assert_eq!(feeder.join().unwrap(), (true, false));
    }

    #[test]
    fn a_feed_dropped_unfinished_breaks_the_body_off() {
        let (upload, feed) = upload(None);
        let mut body = upload.body.borrow_mut().take().unwrap();
        drop(feed);
        assert!(matches!(poll(&mut body), Poll::Ready(Some(Err(_)))));
        drop(body);
        let (_upload, feed) = super::upload(None);
        drop(_upload);
        assert!(!feed.send(b"x"), "nobody takes any more");
    }
}
