//! A reader that refuses over-long lines, so one giant line (a binary or a
//! minified file) is an error, not an out-of-memory.

use std::io::{self, Read};

use super::ImportError;

pub struct LineLimit<R> {
    inner: R,
    since_newline: usize,
    line: u64,
    max: usize,
}

impl<R: Read> LineLimit<R> {
    pub fn new(inner: R, max: usize) -> Self {
        LineLimit {
            inner,
            since_newline: 0,
            line: 1,
            max,
        }
    }
}

const TOO_LONG: &str = "line too long";

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for b in &buf[..n] {
            if *b == b'\n' {
                self.since_newline = 0;
                self.line += 1;
            } else {
                self.since_newline += 1;
                if self.since_newline > self.max {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{TOO_LONG} {}", self.line),
                    ));
                }
            }
        }
        Ok(n)
    }
}

/// An I/O error from the limited reader as an import error.
pub fn error(e: &io::Error, line: u64) -> ImportError {
    let text = e.to_string();
    match text.strip_prefix(TOO_LONG) {
        Some(n) => ImportError::LineTooLong {
            line: n.trim().parse().unwrap_or(line),
        },
        None => ImportError::Read { line, reason: text },
    }
}
