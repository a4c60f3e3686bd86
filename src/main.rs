//! The `mde-migrate` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    mde_migrate::cli::main()
}
