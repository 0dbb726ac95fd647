/* Test scaffolding for windows/test.sh, never shipped. Rust's standard library imports
   ProcessPrng from bcryptprimitives.dll, which real Windows 10 and 11 have and wine 8.0
   (Debian 12) lacks; this DLL, put beside oit025.exe in the test folder only, forwards it to
   advapi32's RtlGenRandom (exported as SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG part = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, part))
            return FALSE;
        data += part;
        length -= part;
    }
    return TRUE;
}
