# Embeds files into the binary as a sorted table {name, bytes}, so one binary runs
# with no files beside it. einlass_embed(OUT NAMESPACE BASE FILES...)
function(einlass_embed out_cpp ns base)
  set(files ${ARGN})
  set(deps "")
  foreach(item IN LISTS files)
    if(item MATCHES "^[^=]+=(.+)$")
      list(APPEND deps ${CMAKE_MATCH_1})
    else()
      list(APPEND deps ${item})
    endif()
  endforeach()
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DNS=${ns} -DBASE=${base}
            "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${deps} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${ns}"
    VERBATIM)
endfunction()
