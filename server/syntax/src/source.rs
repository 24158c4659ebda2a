//! Turns a file's bytes into module text: strips the UTF-8 byte order mark, decodes UTF-16
//! files that carry a byte order mark, and refuses binary data and invalid UTF-8 with the
//! position of the first bad byte.

use std::fmt;

/// Why bytes are not module text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte where text cannot have one: an image, an archive, a compiled file.
    Binary { offset: usize },
    /// The bytes are not UTF-8; `line` and `col` (one-based, col in bytes) locate the first
    /// bad byte.
    InvalidUtf8 { offset: usize, line: usize, col: usize },
    /// A UTF-16 file with an unpaired surrogate or an odd length.
    InvalidUtf16 { offset: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary { offset } => {
                write!(f, "binary file (NUL byte at offset {offset}), skipped")
            }
            DecodeError::InvalidUtf8 { offset, line, col } => {
                write!(f, "not valid UTF-8 at line {line}, column {col} (byte offset {offset}), skipped")
            }
            DecodeError::InvalidUtf16 { offset } => {
                write!(f, "not valid UTF-16 at byte offset {offset}, skipped")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a module file. A UTF-8 BOM is removed so that positions match what editors show.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    let (skipped, body) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (UTF8_BOM.len(), rest),
        None => (0, bytes),
    };
    if let Some(nul) = body.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset: skipped + nul });
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => {
            let offset = error.valid_up_to();
            let before = &body[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            Err(DecodeError::InvalidUtf8 { offset: skipped + offset, line, col: offset - line_start + 1 })
        }
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::InvalidUtf16 { offset: bytes.len() + 1 });
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len());
    for (i, ch) in char::decode_utf16(units).enumerate() {
        match ch {
            Ok('\0') => return Err(DecodeError::Binary { offset: 2 + 2 * i }),
            Ok(ch) => text.push(ch),
            Err(_) => return Err(DecodeError::InvalidUtf16 { offset: 2 + 2 * i }),
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("\u{FEFF}А = 1;".as_bytes()).unwrap(), "А = 1;");
        assert_eq!(decode("А = 1;".as_bytes()).unwrap(), "А = 1;");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Б;".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap(), "Б;");
        let mut be = vec![0xFE, 0xFF];
        be.extend("Б;".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), "Б;");
        assert!(matches!(decode(&[0xFF, 0xFE, 0x00, 0xD8]), Err(DecodeError::InvalidUtf16 { .. })));
    }

    #[test]
    fn binary_and_invalid_bytes_name_the_position() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0"), Err(DecodeError::Binary { offset: 8 }));
        let error = decode(b"A = 1;\nB = \xFF;").unwrap_err();
        assert_eq!(error, DecodeError::InvalidUtf8 { offset: 11, line: 2, col: 5 });
        assert!(error.to_string().contains("line 2, column 5"));
    }
}
