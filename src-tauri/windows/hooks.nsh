; Windows installer hooks (NSIS, Tauri's installerHooks).
;
; LAN sync listens for the team's other laptops and finds them by mDNS
; (docs/network.md). Windows Defender Firewall blocks both unless a rule
; lets the app in. The rule is limited to private and domain networks: on
; a network Windows calls public (a hotel, a café) the app stays closed,
; and the sync centre says that discovery cannot work there.

!macro NSIS_HOOK_POSTINSTALL
  nsExec::Exec 'netsh advfirewall firewall add rule name="Caravan LAN sync" dir=in action=allow program="$INSTDIR\caravan-desktop.exe" enable=yes profile=private,domain protocol=TCP'
  nsExec::Exec 'netsh advfirewall firewall add rule name="Caravan LAN discovery" dir=in action=allow program="$INSTDIR\caravan-desktop.exe" enable=yes profile=private,domain protocol=UDP localport=5353'
!macroend

!macro NSIS_HOOK_POSTUNINSTALL
  nsExec::Exec 'netsh advfirewall firewall delete rule name="Caravan LAN sync"'
  nsExec::Exec 'netsh advfirewall firewall delete rule name="Caravan LAN discovery"'
!macroend
