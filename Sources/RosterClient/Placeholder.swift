// The libcurl-based client; see CurlTransport.swift.
