//! The byte stream under the CSV parser: a file opened only if it is a
//! regular file (a FIFO or a device never blocks the import), UTF-16 with a
//! byte-order mark decoded to UTF-8 as it streams, CR-only and CRLF line
//! endings turned into LF, and a cap on the size of one record, quoted
//! fields spread over many lines included, so memory stays flat whatever
//! the file holds.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::ImportError;

#[cfg(target_os = "linux")]
const O_NONBLOCK: i32 = 0o4000;
#[cfg(all(unix, not(target_os = "linux")))]
const O_NONBLOCK: i32 = 0x0004;

/// What a path is, when it is not a regular file.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Open `path` for reading if it is a regular file (a link to one is
/// followed). Checked before opening and again on the open file; on unix
/// the open never waits (`O_NONBLOCK`), so a FIFO swapped in between is
/// refused too, not read.
pub fn open(path: &Path) -> Result<File, ImportError> {
    let refuse = |what: &'static str| ImportError::NotAFile {
        path: path.display().to_string(),
        what,
    };
    let meta = std::fs::metadata(path).map_err(|e| ImportError::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    if !meta.is_file() {
        return Err(refuse(kind(&meta)));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| ImportError::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let meta = file.metadata().map_err(|e| ImportError::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    if !meta.is_file() {
        return Err(refuse(kind(&meta)));
    }
    Ok(file)
}

/// UTF-16 (either byte order, the byte-order mark already consumed) read
/// as UTF-8. Unpaired surrogates become U+FFFD.
pub struct Utf16<R> {
    inner: R,
    little: bool,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_at: usize,
    high: Option<u16>,
    eof: bool,
}

impl<R: Read> Utf16<R> {
    pub fn new(inner: R, little: bool) -> Self {
        Utf16 {
            inner,
            little,
            raw: Vec::with_capacity(8192),
            out: Vec::with_capacity(16384),
            out_at: 0,
            high: None,
            eof: false,
        }
    }

    fn push(&mut self, c: char) {
        let mut b = [0u8; 4];
        self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    }

    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_at = 0;
        while self.out.is_empty() && !self.eof {
            let start = self.raw.len();
            self.raw.resize(start + 8192, 0);
            let n = loop {
                match self.inner.read(&mut self.raw[start..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.raw.truncate(start);
                        return Err(e);
                    }
                }
            };
            self.raw.truncate(start + n);
            if n == 0 {
                self.eof = true;
            }
            let pairs = self.raw.len() / 2;
            for i in 0..pairs {
                let (a, b) = (self.raw[2 * i], self.raw[2 * i + 1]);
                let unit = if self.little {
                    u16::from_le_bytes([a, b])
                } else {
                    u16::from_be_bytes([a, b])
                };
                match (self.high.take(), unit) {
                    (Some(h), 0xDC00..=0xDFFF) => {
                        let c =
                            0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                        self.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                    }
                    (high, 0xD800..=0xDBFF) => {
                        if high.is_some() {
                            self.push('\u{fffd}');
                        }
                        self.high = Some(unit);
                    }
                    (high, _) => {
                        if high.is_some() {
                            self.push('\u{fffd}');
                        }
                        self.push(char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}'));
                    }
                }
            }
            self.raw.drain(..pairs * 2);
            if self.eof && (self.high.take().is_some() || !self.raw.is_empty()) {
                self.raw.clear();
                self.push('\u{fffd}');
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_at >= self.out.len() {
            self.refill()?;
        }
        let rest = &self.out[self.out_at..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.out_at += n;
        Ok(n)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    InField,
    Quoted,
    QuoteInQuoted,
}

/// Line endings to LF, and a cap on one record's size: a parser state
/// machine that follows quoting the way the CSV reader does, so a quoted
/// field spread over many lines counts as one record.
pub struct Records<R> {
    inner: R,
    delimiter: u8,
    state: State,
    after_cr: bool,
    in_record: usize,
    /// Line (1-based) the current record started on.
    record_line: u64,
    line: u64,
    max: usize,
}

impl<R: Read> Records<R> {
    pub fn new(inner: R, delimiter: u8, max: usize) -> Self {
        Records {
            inner,
            delimiter,
            state: State::StartField,
            after_cr: false,
            in_record: 0,
            record_line: 1,
            line: 1,
            max,
        }
    }
}

const TOO_LONG: &str = "record too long";

impl<R: Read> Read for Records<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let mut w = 0;
            for r in 0..n {
                let mut b = buf[r];
                if b == b'\n' && self.after_cr {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                if b == b'\r' {
                    b = b'\n';
                }
                buf[w] = b;
                w += 1;
                if b == b'\n' {
                    self.line += 1;
                }
                self.state = match (self.state, b) {
                    (State::Quoted, b'"') => State::QuoteInQuoted,
                    (State::Quoted, _) => State::Quoted,
                    (State::QuoteInQuoted, b'"') => State::Quoted,
                    (State::StartField, b'"') => State::Quoted,
                    (_, b'\n') => {
                        self.in_record = 0;
                        self.record_line = self.line;
                        State::StartField
                    }
                    (_, d) if d == self.delimiter => State::StartField,
                    _ => State::InField,
                };
                if b != b'\n' || self.state == State::Quoted {
                    self.in_record += 1;
                    if self.in_record > self.max {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("{TOO_LONG} {}", self.record_line),
                        ));
                    }
                }
            }
            if w > 0 {
                return Ok(w);
            }
        }
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
