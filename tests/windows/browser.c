/* The scripted browser of the Windows session (scripts/windows): oat runs it as $BROWSER with
 * the authorization URL. It fetches the URL with WinINet, following redirects as a browser
 * does, so that the demo server's auto-approved sign-in lands on oat's loopback listener.
 * It prints the final page's first line to stderr and exits 0 when the page was read. */
#include <windows.h>
#include <wininet.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    HINTERNET session, request;
    char page[4096];
    DWORD got = 0, total = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: browser URL\n");
        return 2;
    }
    session = InternetOpenA("oat-test-browser", INTERNET_OPEN_TYPE_DIRECT, NULL, NULL, 0);
    if (!session) {
        fprintf(stderr, "browser: InternetOpen failed (%lu)\n", GetLastError());
        return 1;
    }
    request = InternetOpenUrlA(session, argv[1], NULL, 0,
                               INTERNET_FLAG_RELOAD | INTERNET_FLAG_NO_CACHE_WRITE | INTERNET_FLAG_NO_COOKIES, 0);
    if (!request) {
        fprintf(stderr, "browser: cannot open the URL (%lu)\n", GetLastError());
        InternetCloseHandle(session);
        return 1;
    }
    while (total < sizeof page - 1 && InternetReadFile(request, page + total, sizeof page - 1 - total, &got) && got > 0)
        total += got;
    page[total] = 0;
    fprintf(stderr, "browser: read %lu bytes\n", total);
    InternetCloseHandle(request);
    InternetCloseHandle(session);
    return total > 0 ? 0 : 1;
}
