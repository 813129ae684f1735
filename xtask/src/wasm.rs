//! Reading a wasm module's sections, for the steps after Trunk that rewrite parts of it
//! ([`crate::layout`], [`crate::linkage`]). Every length is checked against the module, so a
//! truncated or corrupt file is an error, never a panic.

use std::ops::Range;

/// One section: its id, its whole span (header included) and its content's span.
pub struct Section {
    pub id: u8,
    pub span: Range<usize>,
    pub content: Range<usize>,
}

/// The sections of `module`, in order.
pub fn sections(module: &[u8]) -> Result<Vec<Section>, String> {
    if module.len() < 8 || &module[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut r = Reader { b: module, at: 8 };
    let mut out = Vec::new();
    while r.at < module.len() {
        let start = r.at;
        let id = r.byte()?;
        let len = r.leb()? as usize;
        let end =
            r.at.checked_add(len)
                .filter(|end| *end <= module.len())
                .ok_or(format!("section {id} runs past the end"))?;
        out.push(Section {
            id,
            span: start..end,
            content: r.at..end,
        });
        r.at = end;
    }
    Ok(out)
}

/// `id`'s section header followed by `content`.
pub fn section(id: u8, content: &[u8]) -> Vec<u8> {
    let mut s = vec![id];
    write_leb(&mut s, content.len() as u64);
    s.extend_from_slice(content);
    s
}

pub struct Reader<'a> {
    pub b: &'a [u8],
    pub at: usize,
}

impl Reader<'_> {
    pub fn byte(&mut self) -> Result<u8, String> {
        let v = *self.b.get(self.at).ok_or("unexpected end of the module")?;
        self.at += 1;
        Ok(v)
    }

    pub fn leb(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            v |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(v);
            }
        }
        Err("a LEB128 number longer than 64 bits".into())
    }

    pub fn name(&mut self) -> Result<&[u8], String> {
        let len = self.leb()? as usize;
        let start = self.at;
        let name = start
            .checked_add(len)
            .and_then(|end| self.b.get(start..end))
            .ok_or("a name runs past its section")?;
        self.at = start + len;
        Ok(name)
    }

    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }

    /// Skips what follows an import's names (its kind and description); returns whether it
    /// imports a function.
    pub fn import_description(&mut self) -> Result<bool, String> {
        match self.byte()? {
            0 => {
                self.leb()?;
                Ok(true)
            }
            1 => {
                self.byte()?;
                self.limits()?;
                Ok(false)
            }
            2 => self.limits().map(|()| false),
            3 => {
                self.byte()?;
                self.byte()?;
                Ok(false)
            }
            4 => {
                self.byte()?;
                self.leb()?;
                Ok(false)
            }
            kind => Err(format!("an import of unknown kind {kind}")),
        }
    }
}

pub fn write_leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    write_leb(out, name.len() as u64);
    out.extend_from_slice(name);
}
