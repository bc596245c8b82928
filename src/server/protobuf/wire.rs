//! The protobuf wire format at its lowest level: varints, keys and length-delimited
//! slices, read from a byte slice with every length checked.

use std::fmt;

/// Why bytes are not valid protobuf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// The input ends inside a varint.
    TruncatedVarint,
    /// A varint longer than 10 bytes, or one past 64 bits.
    VarintOverflow,
    /// A length or fixed-size value reaches past the end of its message.
    PastEnd { need: u64, left: usize },
    /// A wire type protobuf does not define (or the deprecated groups, 3 and 4).
    BadWireType(u8),
    /// Field number 0 (never valid).
    FieldZero,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::TruncatedVarint => write!(f, "truncated varint"),
            WireError::VarintOverflow => write!(f, "varint overflows 64 bits"),
            WireError::PastEnd { need, left } => {
                write!(f, "length {need} reaches past the end ({left} bytes left)")
            }
            WireError::BadWireType(t) => write!(f, "unsupported wire type {t}"),
            WireError::FieldZero => write!(f, "field number 0"),
        }
    }
}

/// The wire types kubelite reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    Varint,
    Fixed64,
    Len,
    Fixed32,
}

impl WireType {
    fn from_bits(bits: u8) -> Result<WireType, WireError> {
        match bits {
            0 => Ok(WireType::Varint),
            1 => Ok(WireType::Fixed64),
            2 => Ok(WireType::Len),
            5 => Ok(WireType::Fixed32),
            other => Err(WireError::BadWireType(other)),
        }
    }
}

/// One field's value as read, before the schema gives it a meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Varint(u64),
    Fixed64(u64),
    Len(&'a [u8]),
    Fixed32(u32),
}

impl Value<'_> {
    pub fn wire_type(&self) -> WireType {
        match self {
            Value::Varint(_) => WireType::Varint,
            Value::Fixed64(_) => WireType::Fixed64,
            Value::Len(_) => WireType::Len,
            Value::Fixed32(_) => WireType::Fixed32,
        }
    }
}

pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    pub fn varint(&mut self) -> Result<u64, WireError> {
        let mut value: u64 = 0;
        for i in 0..10 {
            let Some(&byte) = self.buf.get(self.pos) else {
                return Err(WireError::TruncatedVarint);
            };
            self.pos += 1;
            let bits = u64::from(byte & 0x7f);
            // The tenth byte may carry only the 64th bit.
            if i == 9 && bits > 1 {
                return Err(WireError::VarintOverflow);
            }
            value |= bits << (7 * i);
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(WireError::VarintOverflow)
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], WireError> {
        let left = self.buf.len() - self.pos;
        if n > left as u64 {
            return Err(WireError::PastEnd { need: n, left });
        }
        let start = self.pos;
        self.pos += n as usize;
        Ok(&self.buf[start..self.pos])
    }

    /// The next field: its number and value; `None` at the end of the message.
    pub fn field(&mut self) -> Result<Option<(u32, Value<'a>)>, WireError> {
        if self.at_end() {
            return Ok(None);
        }
        let key = self.varint()?;
        let number = key >> 3;
        if number == 0 {
            return Err(WireError::FieldZero);
        }
        let number = u32::try_from(number).map_err(|_| WireError::VarintOverflow)?;
        let value = match WireType::from_bits((key & 7) as u8)? {
            WireType::Varint => Value::Varint(self.varint()?),
            WireType::Fixed64 => {
                let b = self.take(8)?;
                Value::Fixed64(u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
            }
            WireType::Len => {
                let n = self.varint()?;
                Value::Len(self.take(n)?)
            }
            WireType::Fixed32 => {
                let b = self.take(4)?;
                Value::Fixed32(u32::from_le_bytes(b.try_into().unwrap_or([0; 4])))
            }
        };
        Ok(Some((number, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(buf: &[u8]) -> Result<Vec<(u32, Value<'_>)>, WireError> {
        let mut r = Reader::new(buf);
        let mut out = Vec::new();
        while let Some(f) = r.field()? {
            out.push(f);
        }
        Ok(out)
    }

    #[test]
    fn varints_of_every_length() {
        let mut r = Reader::new(&[0x00, 0x7f, 0x80, 0x01, 0xac, 0x02]);
        assert_eq!(r.varint(), Ok(0));
        assert_eq!(r.varint(), Ok(127));
        assert_eq!(r.varint(), Ok(128));
        assert_eq!(r.varint(), Ok(300));
        assert!(r.at_end());
        // -1 as Go writes an int32 or int64: ten bytes.
        let minus_one = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(Reader::new(&minus_one).varint(), Ok(u64::MAX));
    }

    #[test]
    fn truncated_and_overlong_varints() {
        assert_eq!(Reader::new(&[]).varint(), Err(WireError::TruncatedVarint));
        assert_eq!(
            Reader::new(&[0x80, 0x80]).varint(),
            Err(WireError::TruncatedVarint)
        );
        assert_eq!(
            Reader::new(&[0xff; 11]).varint(),
            Err(WireError::VarintOverflow)
        );
        let too_big = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert_eq!(
            Reader::new(&too_big).varint(),
            Err(WireError::VarintOverflow)
        );
    }

    #[test]
    fn fields_of_each_wire_type() {
        let buf = [
            0x08, 0x96, 0x01, // 1: varint 150
            0x12, 0x02, b'h', b'i', // 2: "hi"
            0x19, 1, 0, 0, 0, 0, 0, 0, 0, // 3: fixed64 1
            0x25, 2, 0, 0, 0, // 4: fixed32 2
        ];
        assert_eq!(
            fields(&buf),
            Ok(vec![
                (1, Value::Varint(150)),
                (2, Value::Len(b"hi")),
                (3, Value::Fixed64(1)),
                (4, Value::Fixed32(2)),
            ])
        );
    }

    #[test]
    fn lengths_past_the_end() {
        assert_eq!(
            fields(&[0x12, 0x05, b'a']),
            Err(WireError::PastEnd { need: 5, left: 1 })
        );
        // A length near u64::MAX must not overflow the position.
        let huge = [
            0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ];
        assert!(matches!(fields(&huge), Err(WireError::PastEnd { .. })));
        assert!(matches!(
            fields(&[0x19, 1, 2]),
            Err(WireError::PastEnd { need: 8, .. })
        ));
        assert!(matches!(
            fields(&[0x25, 1]),
            Err(WireError::PastEnd { need: 4, .. })
        ));
    }

    #[test]
    fn bad_keys() {
        assert_eq!(fields(&[0x0b]), Err(WireError::BadWireType(3)));
        assert_eq!(fields(&[0x0c]), Err(WireError::BadWireType(4)));
        assert_eq!(fields(&[0x0e]), Err(WireError::BadWireType(6)));
        assert_eq!(fields(&[0x00, 0x00]), Err(WireError::FieldZero));
        assert_eq!(fields(&[0x08]), Err(WireError::TruncatedVarint));
    }
}
