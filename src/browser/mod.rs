//! Small browser helpers, one per file, each typed through web-sys: what a page needs from the
//! browser beyond rendering (files in and out, the clipboard, keyboard shortcuts).

mod clipboard;
mod download;
mod file;
mod shortcuts;

pub use clipboard::copy_text;
pub use download::download;
pub use file::chosen_file_text;
pub use shortcuts::use_shortcuts;
