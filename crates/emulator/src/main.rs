fn main() {
    println!("vigil-emulator: not built yet");
}
