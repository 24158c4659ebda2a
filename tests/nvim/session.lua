-- A headless Neovim session against `bsl-assist lsp`, driven by tests/nvim.rs: opens one
-- module, asks for definition, hover and document symbols at a position, collects the
-- published diagnostics, and writes everything as JSON to $OUT. Any failure exits non-zero.
local function run()
  local out = { diagnostics = {} }
  local client_id = vim.lsp.start_client({
    cmd = { os.getenv('BSL_ASSIST'), 'lsp' },
    root_dir = os.getenv('ROOT'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(_, result)
        if result then
          table.insert(out.diagnostics, #result.diagnostics)
        end
      end,
    },
  })
  assert(client_id, 'the server did not start')
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('FILE')))
  vim.bo.filetype = 'bsl'
  vim.lsp.buf_attach_client(0, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  assert(vim.wait(20000, function() return client.initialized end, 20), 'no initialize response')
  local document = { uri = vim.uri_from_bufnr(0) }
  local position = { line = tonumber(os.getenv('LINE')), character = tonumber(os.getenv('COL')) }
  local function request(method, params)
    for _ = 1, 5 do
      local response = client.request_sync(method, params, 10000, 0)
      if response then
        assert(not response.err, method .. ': ' .. vim.inspect(response.err))
        return response.result
      end
    end
    error(method .. ': no answer')
  end
  local at = { textDocument = document, position = position }
  out.definition = request('textDocument/definition', at)
  out.hover = request('textDocument/hover', at)
  out.symbols = request('textDocument/documentSymbol', { textDocument = document })
  vim.wait(10000, function()
    for _, count in ipairs(out.diagnostics) do
      if count > 0 then return true end
    end
    return false
  end, 20)
  local file = assert(io.open(os.getenv('OUT'), 'w'))
  file:write(vim.fn.json_encode(out))
  file:close()
end

-- A watchdog: never hang, whatever happens.
vim.defer_fn(function()
  io.stderr:write('watchdog: the session took too long\n')
  vim.cmd('cquit 4')
end, 60000)

local ok, err = pcall(run)
if ok then
  vim.cmd('qa!')
else
  io.stderr:write(tostring(err) .. '\n')
  vim.cmd('cquit 3')
end
