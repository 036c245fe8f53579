/* A stand-in for Windows' bcryptprimitives.dll, which Wine 8.0 lacks: Rust's standard library
 * (1.78 and later) imports ProcessPrng from it, so without it every Rust program exits at once
 * under that Wine. ProcessPrng is forwarded to advapi32's SystemFunction036 (RtlGenRandom),
 * which Wine implements. Test support only: scripts/windows copies it into a throwaway Wine
 * prefix; it is never part of oat. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
