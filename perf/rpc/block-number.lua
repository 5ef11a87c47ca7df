-- wrk: every request is eth_blockNumber (the node) or the same body to the bare Kestrel endpoint.
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}'
wrk.headers["Content-Type"] = "application/json"
